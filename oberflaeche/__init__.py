"""Streamlit-Oberfläche: Zustand, Seitenleiste, wiederkehrende Bausteine. Seiten bleiben dünn."""
