"""deploy/: die Dateien für den Betrieb mit mehreren App-Servern sind gültig und passen zum Code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PROJEKT = Path(__file__).resolve().parent.parent
DEPLOY = PROJEKT / "deploy"


def test_haproxy_konfiguration_ist_gueltig(tmp_path):
    if shutil.which("haproxy") is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy fehlt in CI (.ci/run installiert es)")
        pytest.skip("haproxy ist hier nicht installiert")
    zertifikat = tmp_path / "bm.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
         "-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    zertifikat.write_bytes((tmp_path / "c.pem").read_bytes() + (tmp_path / "k.pem").read_bytes())
    text = (DEPLOY / "haproxy.cfg").read_text().replace("/etc/haproxy/zertifikate/bildungsmonitor.pem", str(zertifikat))
    (tmp_path / "h.cfg").write_text(text)
    aus = subprocess.run(["haproxy", "-c", "-f", str(tmp_path / "h.cfg")], capture_output=True, text=True)
    assert aus.returncode == 0, aus.stdout + aus.stderr


def test_haproxy_bindet_sitzungen_und_prueft_gesundheit():
    text = (DEPLOY / "haproxy.cfg").read_text()
    server = re.findall(r"^\s*server (\S+) 127\.0\.0\.1:(\d+) check cookie (\S+)$", text, re.M)
    assert len(server) >= 2
    assert all(name == cookie for name, _, cookie in server)  # jeder Prozess mit eigenem Cookie-Wert
    assert re.search(r"^\s*cookie BM_SERVER insert", text, re.M)
    assert "GET /_stcore/health" in text


def test_systemd_einheit_startet_das_startprogramm_mit_gueltigen_optionen():
    from streamlit import config

    text = (DEPLOY / "bildungsmonitor@.service").read_text().replace("\\\n", " ")
    start = re.search(r"^ExecStart=(.*)$", text, re.M).group(1).split()
    assert start[1:3] == ["-m", "oberflaeche.server"]
    assert (PROJEKT / "oberflaeche" / "server.py").is_file()
    optionen = [teil[2:] for teil in start if teil.startswith("--")]
    assert optionen and all(o in config.get_config_options() for o in optionen), optionen
    assert "--server.address" in start and start[start.index("--server.address") + 1] == "127.0.0.1"


def test_beispielumgebung_nennt_nur_einstellungen_die_der_code_liest():
    code = "\n".join(
        p.read_text() for d in ("kommune", "oberflaeche", "geodata", "berichte") for p in (PROJEKT / d).rglob("*.py")
    )
    namen = re.findall(r"^#?\s*(BILDUNGSMONITOR_[A-Z_]+)=", (DEPLOY / "umgebung.beispiel").read_text(), re.M)
    assert "BILDUNGSMONITOR_DATENBANK" in namen
    assert all(n in code for n in namen), [n for n in namen if n not in code]
