// Karte des Bildungsmonitors (ES-Modul, ohne Build-Schritt): Leaflet mit Canvas, Geometrie einmal, dann nur Farben.
//
// Python (oberflaeche/kartenkomponente.py) schickt je Lauf `data`:
//   geometrie  {hash, ids, namen, flaechen, schritt, ausschnitt} – oder nur {hash}, wenn dieser Browser sie schon hat
//   angebote   [{hash, kategorie, farbe, zeichen, eckig, punkte, namen, info} – oder nur {hash}]
//   faerbung   {hash, titel, einheit, leer, farben, klasse, werte}: je Fläche eine Ziffer (Index in `farben`)
//              und die formatierte Zahl (leer: keine Daten oder gesperrt, Text aus `leer`)
//   gewaehlt   ID des gewählten Gebiets oder null; kacheln {url, attribution} oder null
//   hoehe      CSS-Höhe der Karte (Pixel oder z. B. „clamp(320px, calc(100vh - 260px), 900px)“: aus dem Fenster)
// Geometrie und Angebote behält das Modul unter ihrem Inhaltsschlüssel (für alle Karten der Seite); fehlt
// einer (z. B. nach einem Neuladen dieses Moduls), meldet die Karte ihn über den Auslöser „fehlt“ und Python
// schickt alles neu. Ein Wechsel von Indikator, Klassen oder Gewichten färbt nur um: Zoom, Ausschnitt und die
// Auswahl der Angebotsebenen bleiben. Eingepasst wird, wenn eine Ebene zum ersten Mal gezeigt wird, und wenn sich
// die Größe der Karte ändert (Fenster, Seitenleiste), solange niemand sie verschoben oder gezoomt hat.
// Dichte Angebote werden je Kategorie zu Gruppen mit Anzahl zusammengefasst (Raster in Bildschirmpixeln, neu je
// Zoomstufe). Ein Klick auf ein Angebot oder eine Gruppe wählt das Gebiet darunter (die Fläche verliert den Klick
// nie) und zeigt beim einzelnen Angebot Name und Angaben.
// Für Tests und Messungen trägt das Kartenelement den sichtbaren Ausschnitt (`data-sicht`), den Ausschnitt der
// Flächen (`data-ausschnitt`) und des gewählten Gebiets (`data-auswahl`) als „Süd,West,Nord,Ost“ – nur Geometrie.
// Texte aus den Daten gehen nur als Text (textContent) in die Seite; die Ebenenauswahl von Leaflet verlangt
// HTML und bekommt maskierte Namen.

const STATIC = new URL("../", import.meta.url);
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const WERT = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) WERT[ALPHABET.charCodeAt(i)] = i;

/** Inhaltsschlüssel → dekodierte Geometrie bzw. Angebotsebene (lebt, solange die Seite offen ist). */
const geometrien = new Map();
const angebotsebenen = new Map();
/** Wurzelelement der Komponente → Zustand ihrer Karte. */
const karten = new WeakMap();

let leafletVersprechen = null;

function leafletLaden() {
  if (window.L && window.L.Map) return Promise.resolve(window.L);
  if (!leafletVersprechen) {
    leafletVersprechen = new Promise((fertig, fehler) => {
      for (const datei of ["vendor/leaflet/leaflet.css", "bildungsmonitor/karte.css"]) {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = new URL(datei, STATIC).href;
        document.head.appendChild(link);
      }
      const skript = document.createElement("script");
      skript.src = new URL("vendor/leaflet/leaflet.js", STATIC).href;
      skript.onload = () => fertig(window.L);
      skript.onerror = () => fehler(new Error("Leaflet konnte nicht geladen werden."));
      document.head.appendChild(skript);
    });
  }
  return leafletVersprechen;
}

/** Gegenstück zu geodata.kodierung.zahlen_kodieren (Arithmetik statt Bitoperationen: keine 32-Bit-Grenze). */
export function zahlenDekodieren(text) {
  const zahlen = [];
  let u = 0;
  let faktor = 1;
  for (let i = 0; i < text.length; i++) {
    const w = WERT[text.charCodeAt(i)];
    if (w < 0) throw new Error("Ungültiges Zeichen in der Geometrie.");
    u += (w & 31) * faktor;
    if (w & 32) {
      faktor *= 32;
      continue;
    }
    zahlen.push(u % 2 ? -(u + 1) / 2 : u / 2);
    u = 0;
    faktor = 1;
  }
  return zahlen;
}

function geometrieDekodieren(g) {
  const q = g.schritt;
  let x = 0;
  let y = 0;
  const flaechen = g.flaechen.map((flaeche) =>
    flaeche.map((ringe) =>
      ringe.map((ring) => {
        const z = zahlenDekodieren(ring);
        const punkte = new Array(z.length / 2);
        for (let i = 0; i < z.length; i += 2) {
          x += z[i];
          y += z[i + 1];
          punkte[i / 2] = [y * q, x * q];
        }
        return punkte;
      }),
    ),
  );
  return { hash: g.hash, ids: g.ids, namen: g.namen, ausschnitt: g.ausschnitt, flaechen };
}

function angeboteDekodieren(a) {
  const z = zahlenDekodieren(a.punkte);
  const punkte = [];
  let x = 0;
  let y = 0;
  for (let i = 0; i < z.length; i += 2) {
    x += z[i];
    y += z[i + 1];
    punkte.push([y * a.schritt, x * a.schritt]);
  }
  return { ...a, punkte };
}

function holen(cache, teil, dekodieren) {
  if (!teil) return null;
  if (!cache.has(teil.hash) && Object.keys(teil).length > 1) cache.set(teil.hash, dekodieren(teil));
  return cache.get(teil.hash) || null;
}

function maskieren(text) {
  return String(text).replace(/[&<>"']/g, (z) => `&#${z.charCodeAt(0)};`);
}

function radius(zoom) {
  if (zoom >= 15) return 9;
  if (zoom >= 14) return 7;
  if (zoom >= 13) return 5;
  if (zoom >= 12) return 4;
  return 3;
}

/** Ab dieser Zoomstufe wird nicht mehr gruppiert; darunter fassen Zellen dieser Pixelgröße ab `GRUPPE_AB` Punkten zusammen. */
const EINZELN_AB_ZOOM = 15;
const ZELLE = 44;
const GRUPPE_AB = 3;

/** Punkte (Breite, Länge) einer Zoomstufe in Rasterzellen: [[Indizes], …]; einzelne Punkte bleiben einzeln. */
export function gruppieren(projizieren, punkte, zoom, zelle = ZELLE, ab = GRUPPE_AB) {
  const zellen = new Map();
  punkte.forEach((ll, i) => {
    const p = projizieren(ll, zoom);
    const k = `${Math.floor(p.x / zelle)}:${Math.floor(p.y / zelle)}`;
    if (!zellen.has(k)) zellen.set(k, []);
    zellen.get(k).push(i);
  });
  const gruppen = [];
  for (const indizes of zellen.values()) {
    if (zoom >= EINZELN_AB_ZOOM || indizes.length < ab) for (const i of indizes) gruppen.push([i]);
    else gruppen.push(indizes);
  }
  return gruppen;
}

function zahlText(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

let AngebotsSymbol = null;

/** Angebotssymbol auf dem Canvas: Kreis (Schulen: Quadrat) in Kategoriefarbe, ab Zoom 14 mit Kennbuchstabe. */
function symbolKlasse(L) {
  if (AngebotsSymbol) return AngebotsSymbol;
  AngebotsSymbol = L.CircleMarker.extend({
    _updatePath() {
      const r = this._renderer;
      if (!r._drawing || this._empty()) return;
      const ctx = r._ctx;
      const p = this._point;
      const rad = Math.max(Math.round(this._radius), 1);
      ctx.beginPath();
      if (this.options.eckig) ctx.rect(p.x - rad, p.y - rad, 2 * rad, 2 * rad);
      else ctx.arc(p.x, p.y, rad, 0, 2 * Math.PI, false);
      r._fillStroke(ctx, this);
      if (this.options.anzahl > 1) {
        ctx.globalAlpha = 1;
        ctx.fillStyle = "#ffffff";
        ctx.font = `bold ${Math.max(10, Math.round(rad * 0.9))}px system-ui, sans-serif`;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(zahlText(this.options.anzahl), p.x, p.y + 0.5);
      } else if (rad >= 7 && this.options.zeichen) {
        ctx.globalAlpha = 1;
        ctx.fillStyle = "#ffffff";
        ctx.font = `bold ${rad + 1}px system-ui, sans-serif`;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(this.options.zeichen, p.x, p.y + 0.5);
      }
    },
  });
  return AngebotsSymbol;
}

function textZeilen(fett, ...zeilen) {
  const div = document.createElement("div");
  const b = document.createElement("strong");
  b.textContent = fett;
  div.append(b);
  for (const z of zeilen) {
    if (!z) continue;
    div.append(document.createElement("br"), z);
  }
  return div;
}

function anlegen(L, parentElement, data) {
  const container = document.createElement("div");
  container.className = "bm-karte";
  container.style.width = "100%";
  container.style.height = hoeheCss(data.hoehe);
  parentElement.appendChild(container);
  const map = L.map(container, {
    minZoom: 5,
    maxZoom: 18,
    zoomSnap: 0.25, // feiner einpassen: Berlin füllt auch ein Handy (0,5 ließ dort ein Drittel leer)
    zoomDelta: 0.5,
    attributionControl: Boolean(data.kacheln),
  });
  L.control.scale({ imperial: false }).addTo(map);
  if (data.kacheln && data.kacheln.url) {
    L.tileLayer(data.kacheln.url, { attribution: data.kacheln.attribution || "Hintergrundkarte" }).addTo(map);
  }
  const z = {
    map,
    container,
    // Ein Canvas für Flächen und Angebote: ein zweiter darüber finge alle Klicks ab. Angebote liegen oben.
    renderer: L.canvas({ padding: 0.3, tolerance: 3 }),
    flaechen: null,
    polygone: [],
    geo: null,
    angebote: new Map(),
    ausgeblendet: new Set(),
    steuerung: null,
    faerbung: null,
    gewaehlt: null,
    aufbauten: 0,
    faerbungen: 0,
    selbst: false, // eigene Bewegung (Einpassen) läuft
    bewegt: false, // jemand hat verschoben oder gezoomt: nicht mehr von selbst einpassen
    groesse: "",
    ausloesen: () => {},
  };
  map.on("overlayremove", (e) => e.layer.bmKategorie && z.ausgeblendet.add(e.layer.bmKategorie));
  map.on("overlayadd", (e) => e.layer.bmKategorie && z.ausgeblendet.delete(e.layer.bmKategorie));
  map.on("movestart zoomstart", () => {
    if (!z.selbst) z.bewegt = true;
  });
  map.on("zoomend", () => {
    for (const eintrag of z.angebote.values()) angeboteZeichnen(L, z, eintrag);
  });
  map.on("moveend", () => kennzeichnen(z));
  // Größe aus dem Fenster oder der Spalte: Leaflet neu vermessen und, solange unberührt, neu einpassen
  if (window.ResizeObserver) {
    z.beobachter = new ResizeObserver(() => {
      const groesse = `${container.clientWidth}x${container.clientHeight}`;
      if (groesse === z.groesse || !container.clientWidth || !container.clientHeight) return;
      z.groesse = groesse;
      map.invalidateSize({ pan: false });
      if (!z.bewegt) einpassen(z);
    });
    z.beobachter.observe(container);
  }
  container._bmKarte = z;
  karten.set(parentElement, z);
  return z;
}

/** Werttext eines Gebiets (wie geodata.kartendaten.tooltip_text): Zahl mit Einheit, sonst „keine Daten“/„gesperrt“. */
function werttext(f, i) {
  const wert = f.werte[i];
  if (wert) return f.einheit ? `${wert} ${f.einheit}` : wert;
  return f.leer[Number(f.klasse[i]) === f.farben.length - 1 ? 1 : 0];
}

function hoeheCss(hoehe) {
  if (typeof hoehe === "number") return `${hoehe}px`;
  return hoehe || "620px";
}

function grenzenText(b) {
  const r = (v) => Math.round(v * 1e5) / 1e5;
  return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(r).join(",");
}

/** Ausschnitte als Kennzeichen am Kartenelement (nur Geometrie, keine Werte). */
function kennzeichnen(z) {
  if (!z.geo || !z.map._loaded) return;
  const d = z.container.dataset;
  d.sicht = grenzenText(z.map.getBounds());
  if (z.geo.ausschnitt) d.ausschnitt = grenzenText(window.L.latLngBounds(z.geo.ausschnitt));
  const i = z.geo.ids.indexOf(z.gewaehlt);
  if (i >= 0 && z.polygone[i]) d.auswahl = grenzenText(z.polygone[i].getBounds());
  else delete d.auswahl;
}

/** Den Ausschnitt der Ebene einpassen (ohne Animation; zählt nicht als Bewegung durch jemanden). Ohne Größe (noch
 * nicht im Layout) nur eine vorläufige Sicht: der Größenbeobachter passt ein, sobald die Karte Platz hat. */
function einpassen(z) {
  if (!z.geo) return;
  const gross = z.container.clientWidth > 0 && z.container.clientHeight > 0;
  z.selbst = true;
  try {
    if (z.geo.ausschnitt && gross) z.map.fitBounds(z.geo.ausschnitt, { padding: [8, 8], animate: false });
    else if (!z.map._loaded) z.map.setView([51.2, 10.4], 6, { animate: false });
  } finally {
    z.selbst = false;
  }
  z.bewegt = false;
  kennzeichnen(z);
}

/** Die Fläche unter einem Punkt (oben liegende zuerst) oder -1. */
function flaecheAn(z, latlng) {
  const punkt = z.map.latLngToLayerPoint(latlng);
  for (let i = z.polygone.length - 1; i >= 0; i--) {
    const p = z.polygone[i];
    if (p && p.getBounds().contains(latlng) && p._containsPoint(punkt)) return i;
  }
  return -1;
}

function gebietWaehlen(z, i) {
  const vorher = z.gewaehlt;
  z.gewaehlt = z.geo.ids[i];
  umrandungErneuern(z, vorher);
  kennzeichnen(z);
  z.ausloesen("klick", z.geo.ids[i]);
}

function stil(z, i) {
  const f = z.faerbung;
  const aktiv = z.geo && z.geo.ids[i] === z.gewaehlt;
  return {
    fillColor: f ? f.farben[Number(f.klasse[i])] : "#d9d9d9",
    fillOpacity: 0.8,
    color: aktiv ? "#000000" : "#ffffff",
    weight: aktiv ? 3.5 : 0.6,
  };
}

function flaechenAufbauen(L, z, geo) {
  if (z.flaechen) z.flaechen.remove();
  z.geo = geo;
  z.polygone = [];
  const gruppe = L.featureGroup();
  geo.flaechen.forEach((latlngs, i) => {
    if (!latlngs.length) return;
    const p = L.polygon(latlngs, { renderer: z.renderer, ...stil(z, i) });
    p.bmId = geo.ids[i];
    p.bindTooltip(() => textZeilen(geo.namen[i], z.faerbung ? `${z.faerbung.titel}: ${werttext(z.faerbung, i)}` : ""), {
      sticky: true,
    });
    p.on("mouseover", () => p.setStyle({ weight: 3, color: "#333333" }));
    p.on("mouseout", () => p.setStyle(stil(z, i)));
    p.on("click", () => gebietWaehlen(z, i));
    z.polygone[i] = p;
    gruppe.addLayer(p);
  });
  einpassen(z);
  gruppe.addTo(z.map);
  gruppe.bringToBack(); // unter die Angebote (gleicher Canvas, Zeichenreihenfolge)
  z.flaechen = gruppe;
  z.aufbauten += 1;
}

function umrandungErneuern(z, vorher) {
  const geo = z.geo;
  if (!geo) return;
  for (const id of [vorher, z.gewaehlt]) {
    const i = geo.ids.indexOf(id);
    if (i >= 0 && z.polygone[i]) z.polygone[i].setStyle(stil(z, i));
  }
  const i = geo.ids.indexOf(z.gewaehlt);
  if (i >= 0 && z.polygone[i] && z.gewaehlt !== vorher) {
    z.polygone[i].bringToFront(); // Umrandung ganz sichtbar, die Angebote bleiben darüber
    for (const eintrag of z.angebote.values()) eintrag.ebene.eachLayer((m) => m.bringToFront());
  }
}

function faerben(z, faerbung, gewaehlt) {
  const neu = !z.faerbung || z.faerbung.hash !== faerbung.hash;
  const vorher = z.gewaehlt;
  z.faerbung = faerbung;
  z.gewaehlt = gewaehlt;
  if (neu) {
    z.polygone.forEach((p, i) => p && p.setStyle(stil(z, i)));
    z.faerbungen += 1;
  }
  umrandungErneuern(z, vorher);
}

/** Die Symbole einer Angebotsebene für die aktuelle Zoomstufe: einzeln oder als Gruppe mit Anzahl. */
function angeboteZeichnen(L, z, eintrag) {
  const a = eintrag.daten;
  const S = symbolKlasse(L);
  const zoom = z.map.getZoom();
  const r = radius(zoom);
  eintrag.ebene.clearLayers();
  for (const indizes of gruppieren((ll, zm) => z.map.project(ll, zm), a.punkte, zoom)) {
    const n = indizes.length;
    let ll = a.punkte[indizes[0]];
    if (n > 1) {
      let breite = 0;
      let laenge = 0;
      for (const i of indizes) {
        breite += a.punkte[i][0];
        laenge += a.punkte[i][1];
      }
      ll = [breite / n, laenge / n];
    }
    const m = new S(ll, {
      renderer: z.renderer,
      radius: n > 1 ? Math.min(8 + 2.5 * Math.log2(n), 18) : r,
      eckig: a.eckig,
      zeichen: a.zeichen,
      anzahl: n,
      color: "#ffffff",
      weight: n > 1 ? 2 : 1.2,
      fillColor: a.farbe,
      fillOpacity: n > 1 ? 0.85 : 1,
    });
    m.bmAnzahl = n;
    if (n > 1) {
      m.bindTooltip(() => textZeilen(`${a.kategorie}: ${zahlText(n)} Angebote`, "Näher heranzoomen für einzelne Angebote"));
    } else {
      const i = indizes[0];
      m.bindTooltip(() => textZeilen(a.namen[i], a.kategorie, a.info[i]));
    }
    // Der Klick gehört (auch) der Fläche darunter; ein einzelnes Angebot zeigt dazu Name und Angaben
    m.on("click", (e) => {
      if (n === 1) {
        const i = indizes[0];
        m.closeTooltip();
        L.popup({ autoPan: false }).setLatLng(ll).setContent(textZeilen(a.namen[i], a.kategorie, a.info[i])).openOn(z.map);
      }
      const f = flaecheAn(z, e.latlng);
      if (f >= 0) gebietWaehlen(z, f);
    });
    eintrag.ebene.addLayer(m);
  }
}

function angeboteSetzen(L, z, liste) {
  const gewollt = new Set(liste.map((a) => a.hash));
  for (const [hash, eintrag] of z.angebote) {
    if (gewollt.has(hash)) continue;
    z.steuerung && z.steuerung.removeLayer(eintrag.ebene);
    eintrag.ebene.remove();
    z.angebote.delete(hash);
  }
  for (const a of liste) {
    if (z.angebote.has(a.hash)) continue;
    const ebene = L.layerGroup();
    ebene.bmKategorie = a.kategorie;
    const eintrag = { ebene, kategorie: a.kategorie, daten: a };
    angeboteZeichnen(L, z, eintrag);
    z.angebote.set(a.hash, eintrag);
    if (!z.steuerung) z.steuerung = L.control.layers(null, null, { collapsed: true });
    z.steuerung.addOverlay(ebene, `${maskieren(a.kategorie)} (${zahlText(a.punkte.length)})`);
    if (!z.ausgeblendet.has(a.kategorie)) ebene.addTo(z.map);
  }
  if (z.steuerung) {
    if (z.angebote.size && !z.steuerung._map) z.steuerung.addTo(z.map);
    if (!z.angebote.size && z.steuerung._map) z.steuerung.remove();
  }
}

/** Einstieg für die Komponente: bei jedem neuen `data` aufgerufen, mit demselben Wurzelelement. */
export async function zeichnen({ data, parentElement, setTriggerValue }) {
  const L = await leafletLaden();
  const z = karten.get(parentElement) || anlegen(L, parentElement, data);
  z.ausloesen = setTriggerValue;
  z.container.style.height = hoeheCss(data.hoehe);
  const geo = holen(geometrien, data.geometrie, geometrieDekodieren);
  const angebote = (data.angebote || []).map((a) => holen(angebotsebenen, a, angeboteDekodieren));
  const fehlt = [data.geometrie, ...(data.angebote || [])]
    .filter((teil, i) => (i === 0 ? !geo : !angebote[i - 1]))
    .map((teil) => teil && teil.hash);
  if (fehlt.length) {
    setTriggerValue("fehlt", fehlt);
    return;
  }
  if (!z.geo || z.geo.hash !== geo.hash) {
    z.faerbung = data.faerbung;
    z.gewaehlt = data.gewaehlt;
    flaechenAufbauen(L, z, geo);
  }
  angeboteSetzen(L, z, angebote);
  faerben(z, data.faerbung, data.gewaehlt);
  // Kennzeichen, sobald der Canvas neu gezeichnet ist (für Tests und Messungen)
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      kennzeichnen(z);
      z.container.dataset.geometrie = geo.hash;
      z.container.dataset.faerbung = data.faerbung.hash;
    }),
  );
}

/** Alles Behaltene vergessen (wie ein neu geladenes Modul); für den Browsertest des Auslösers „fehlt“. */
export function vergessen() {
  geometrien.clear();
  angebotsebenen.clear();
}

/** Aufräumen, wenn Streamlit die Komponente entfernt. */
export function entfernen(parentElement) {
  const z = karten.get(parentElement);
  if (!z) return;
  if (z.beobachter) z.beobachter.disconnect();
  z.map.remove();
  z.container.remove();
  karten.delete(parentElement);
}
