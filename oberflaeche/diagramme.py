"""Altair-Diagramme im deutschen Zahlformat (1.234,5), ohne Netzzugriff."""

from __future__ import annotations

import altair as alt

from berichte.diagramme import ZAHLFORMAT

DEUTSCH = alt.Locale(number=alt.NumberLocale(**ZAHLFORMAT))


def deutsch(diagramm: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Deutsches Zahlformat für Achsen, Tooltips und Beschriftungen."""
    return diagramm.configure(locale=DEUTSCH)
