// Karte des Bildungsmonitors (ES-Modul, ohne Build-Schritt): Leaflet mit Canvas, Geometrie einmal, dann nur Farben.
// Die Flächen sind keine Leaflet-Objekte (11.000 L.polygon kosteten Deutschland ~1,5 s): eine eigene Ebene
// (`ebenenKlasse`) zeichnet sie direkt aus den dekodierten Ringen, je Farbe ein Pfad, nur im Ausschnitt und
// zoomabhängig vereinfacht; Klick und Hover treffen sie über ein Raster und Punkt-in-Polygon. Die Angebote
// bleiben Leaflet-Symbole auf Leaflets Canvas darüber.
//
// Python (oberflaeche/kartenkomponente.py) schickt je Lauf `data`:
//   geometrie  {hash, ids, namen, flaechen, schritt, ausschnitt} – oder nur {hash}, wenn dieser Browser sie schon hat
//   angebote   [{hash, kategorie, farbe, zeichen, eckig, punkte, namen, info} – oder nur {hash}]
//   faerbung   {hash, titel, einheit, leer, farben, klasse, werte}: je Fläche eine Ziffer (Index in `farben`)
//              und die formatierte Zahl (leer: keine Daten oder gesperrt, Text aus `leer`)
//   gewaehlt   ID des gewählten Gebiets oder null; kacheln {url, attribution} oder null
//   hoehe      CSS-Höhe der Karte (Pixel oder z. B. „clamp(320px, calc(100vh - 260px), 900px)“: aus dem Fenster)
//   finder     null oder {sichtbar, gewaehlt} (Angebotsfinder): `sichtbar` ist je Angebot ein Bit (Base64, URL-Alphabet,
//              höchstes Bit zuerst) über alle Angebotsebenen in ihrer Reihenfolge; nur sichtbare werden gezeichnet und
//              gruppiert. Ein Filterwechsel schickt nur diesen Text. Ein Klick auf ein Angebot löst „angebot“ mit seiner
//              Position aus (statt ein Gebiet zu wählen), `gewaehlt` (Position) wird hervorgehoben; Flächen sind nur
//              Hintergrund, ohne Ebenenauswahl. Am Kartenelement: `data-angebote-sichtbar` (Anzahl, für Tests).
// Geometrie und Angebote behält das Modul unter ihrem Inhaltsschlüssel (für alle Karten der Seite); fehlt
// einer (z. B. nach einem Neuladen dieses Moduls), meldet die Karte ihn über den Auslöser „fehlt“ und Python
// schickt alles neu. Ein Wechsel von Indikator, Klassen oder Gewichten färbt nur um: Zoom, Ausschnitt und die
// Auswahl der Angebotsebenen bleiben. Eingepasst wird, wenn eine Ebene zum ersten Mal gezeigt wird, und wenn sich
// die Größe der Karte ändert (Fenster, Seitenleiste), solange niemand sie verschoben oder gezoomt hat.
// Dichte Angebote werden je Kategorie zu Gruppen mit Anzahl zusammengefasst (Raster in Bildschirmpixeln, neu je
// Zoomstufe). Ein Klick auf ein Angebot oder eine Gruppe wählt das Gebiet darunter (die Fläche verliert den Klick
// nie) und zeigt beim einzelnen Angebot Name und Angaben.
// Für Tests und Messungen trägt das Kartenelement (erst, wenn die Flächen gezeichnet sind: `data-faerbung`) den sichtbaren Ausschnitt (`data-sicht`), den Ausschnitt der
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

/** Welt-Koordinaten (Web-Mercator, Zoom 0, Einheit „Kachel“ 0…1) wie Leaflets EPSG:3857, ohne Leaflet. */
const MAX_BREITE = 85.0511287798;
function weltX(laenge) {
  return laenge / 360 + 0.5;
}
function weltY(breite) {
  const b = Math.max(Math.min(breite, MAX_BREITE), -MAX_BREITE) * (Math.PI / 180);
  return 0.5 - Math.log(Math.tan(Math.PI / 4 + b / 2)) / (2 * Math.PI);
}

/** Die Ringe direkt (ohne Zwischenlisten) in Welt-Koordinaten: je Fläche die Ringe (außen und Löcher, gerade-
 * ungerade gefüllt), ihr Rahmen in Welt- und in Grad-Koordinaten. Kein Leaflet-Objekt je Fläche. */
function geometrieDekodieren(g) {
  const t0 = performance.now();
  const q = g.schritt;
  let x = 0;
  let y = 0;
  const ringe = [];
  const rahmen = new Float64Array(g.flaechen.length * 4); // Welt: minX, minY, maxX, maxY
  const grad = new Float64Array(g.flaechen.length * 4); // Süd, West, Nord, Ost
  const wichtig = new WeakMap(); // Ring → je Punkt die Toleranz, bis zu der er bleibt (Douglas-Peucker)
  g.flaechen.forEach((flaeche, i) => {
    const eigene = [];
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    let s = Infinity, w = Infinity, n = -Infinity, o = -Infinity;
    for (const polygon of flaeche)
      for (const text of polygon) {
        const punkte = [];
        let u = 0;
        let faktor = 1;
        let ungerade = false;
        for (let k = 0; k < text.length; k++) {
          const v = WERT[text.charCodeAt(k)];
          if (v < 0) throw new Error("Ungültiges Zeichen in der Geometrie.");
          u += (v & 31) * faktor;
          if (v & 32) {
            faktor *= 32;
            continue;
          }
          const d = u % 2 ? -(u + 1) / 2 : u / 2;
          u = 0;
          faktor = 1;
          if (!ungerade) {
            x += d;
            ungerade = true;
            continue;
          }
          y += d;
          ungerade = false;
          const laenge = x * q;
          const breite = y * q;
          const wx = weltX(laenge);
          const wy = weltY(breite);
          punkte.push(wx, wy);
          if (wx < x0) x0 = wx;
          if (wx > x1) x1 = wx;
          if (wy < y0) y0 = wy;
          if (wy > y1) y1 = wy;
          if (breite < s) s = breite;
          if (breite > n) n = breite;
          if (laenge < w) w = laenge;
          if (laenge > o) o = laenge;
        }
        const ring = Float64Array.from(punkte);
        eigene.push(ring);
        wichtig.set(ring, gewichte(ring));
      }
    ringe.push(eigene);
    rahmen.set([x0, y0, x1, y1], i * 4);
    grad.set([s, w, n, o], i * 4);
  });
  const geo = { hash: g.hash, ids: g.ids, namen: g.namen, ausschnitt: g.ausschnitt, ringe, rahmen, grad, wichtig };
  geo.raster = rasterBauen(geo);
  geo.dekodieren_ms = Math.round(performance.now() - t0);
  return geo;
}

/** Douglas-Peucker einmal für alle Toleranzen: je Punkt eines Rings (x, y, x, y, …) der größte Abstand, bei dem er
 * noch bleibt (nie größer als der seines Elternpunkts: kleinere Toleranz ⇒ Obermenge). Beim Zeichnen bleibt ein
 * Punkt, wenn sein Wert mindestens die Toleranz der Zoomstufe (0,7 Pixel) erreicht – gröbere Geometrie bei
 * kleinem Zoom, ohne zweite Geometrie vom Server. Anker (erster und fernster Punkt) bleiben immer. */
function gewichte(ring) {
  const n = ring.length / 2;
  const w = new Float32Array(n);
  if (n < 3) return w.fill(Infinity);
  let fern = 0;
  let best = -1;
  for (let k = 1; k < n; k++) {
    const d = (ring[2 * k] - ring[0]) ** 2 + (ring[2 * k + 1] - ring[1]) ** 2;
    if (d > best) {
      best = d;
      fern = k;
    }
  }
  w[0] = Infinity;
  w[fern] = Infinity;
  const stapel = [0, fern, Infinity, fern, n, Infinity]; // Abschnitte [a, b) mit der Toleranz des Elternpunkts
  while (stapel.length) {
    const grenze = stapel.pop();
    const b = stapel.pop();
    const a = stapel.pop();
    if (b - a < 2) continue;
    const ax = ring[2 * a];
    const ay = ring[2 * a + 1];
    const bx = ring[2 * (b % n)];
    const by = ring[2 * (b % n) + 1];
    const dx = bx - ax;
    const dy = by - ay;
    const l2 = dx * dx + dy * dy;
    let max = -1;
    let km = a + 1;
    for (let k = a + 1; k < b; k++) {
      const px = ring[2 * k] - ax;
      const py = ring[2 * k + 1] - ay;
      const d = l2 > 0 ? Math.abs(px * dy - py * dx) / Math.sqrt(l2) : Math.hypot(px, py);
      if (d > max) {
        max = d;
        km = k;
      }
    }
    const t = Math.min(max, grenze);
    w[km] = t;
    stapel.push(a, km, t, km, b, t);
  }
  return w;
}

/** Raster über den Rahmen aller Flächen (Welt-Koordinaten): je Zelle die Flächen, deren Rahmen sie berühren. */
const RASTER = 128;
function rasterBauen(geo) {
  const r = geo.rahmen;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < geo.ringe.length; i++) {
    if (!geo.ringe[i].length) continue;
    x0 = Math.min(x0, r[4 * i]);
    y0 = Math.min(y0, r[4 * i + 1]);
    x1 = Math.max(x1, r[4 * i + 2]);
    y1 = Math.max(y1, r[4 * i + 3]);
  }
  const bx = (x1 - x0) / RASTER || 1;
  const by = (y1 - y0) / RASTER || 1;
  const zellen = Array.from({ length: RASTER * RASTER }, () => []);
  const zelle = (v, v0, b) => Math.max(0, Math.min(RASTER - 1, Math.floor((v - v0) / b)));
  for (let i = 0; i < geo.ringe.length; i++) {
    if (!geo.ringe[i].length) continue;
    for (let cy = zelle(r[4 * i + 1], y0, by); cy <= zelle(r[4 * i + 3], y0, by); cy++)
      for (let cx = zelle(r[4 * i], x0, bx); cx <= zelle(r[4 * i + 2], x0, bx); cx++) zellen[cy * RASTER + cx].push(i);
  }
  return { x0, y0, bx, by, zellen, zelle };
}

/** Liegt der Welt-Punkt in Fläche i? (gerade-ungerade über alle Ringe: Löcher und Mehrfachpolygone) */
export function punktInFlaeche(ringe, px, py) {
  let innen = false;
  for (const ring of ringe) {
    const n = ring.length;
    for (let a = 0, b = n - 2; a < n; b = a, a += 2) {
      const ya = ring[a + 1];
      const yb = ring[b + 1];
      if (ya > py !== yb > py && px < ((ring[b] - ring[a]) * (py - ya)) / (yb - ya) + ring[a]) innen = !innen;
    }
  }
  return innen;
}

/** Die Fläche am Welt-Punkt oder -1 (Raster, dann Rahmen, dann Punkt-in-Polygon). */
function flaecheAmWeltpunkt(geo, px, py) {
  const r = geo.raster;
  if (px < r.x0 || py < r.y0) return -1;
  const cx = Math.floor((px - r.x0) / r.bx);
  const cy = Math.floor((py - r.y0) / r.by);
  if (cx >= RASTER || cy >= RASTER) return -1;
  const kandidaten = r.zellen[cy * RASTER + cx];
  for (let k = kandidaten.length - 1; k >= 0; k--) {
    const i = kandidaten[k];
    const b = geo.rahmen;
    if (px < b[4 * i] || px > b[4 * i + 2] || py < b[4 * i + 1] || py > b[4 * i + 3]) continue;
    if (punktInFlaeche(geo.ringe[i], px, py)) return i;
  }
  return -1;
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
  // Leaflet fokussiert die Karte beim Drücken und stellt danach nur das Rollen des Fensters wieder her; Streamlit rollt
  // aber einen inneren Bereich: ragte die Karte unten aus dem Bild, verrutschte die Seite mitten im Klick (das Loslassen
  // traf dann etwas anderes). Fokus ohne Rollen.
  if (map.keyboard) {
    map.keyboard.disable();
    map.keyboard._onMouseDown = function () {
      if (!this._focused) this._map._container.focus({ preventScroll: true });
    };
    map.keyboard.enable();
  }
  if (data.kacheln && data.kacheln.url) {
    L.tileLayer(data.kacheln.url, { attribution: data.kacheln.attribution || "Hintergrundkarte" }).addTo(map);
  }
  const z = {
    map,
    container,
    // Ein Canvas für Flächen und Angebote: ein zweiter darüber finge alle Klicks ab. Angebote liegen oben.
    renderer: L.canvas({ padding: 0.3, tolerance: 3 }),
    flaechen: null, // eigene Ebene: alle Flächen auf einem Canvas (ebenenKlasse)
    geo: null,
    hover: -1,
    tip: L.tooltip({ direction: "top", offset: [0, -10], className: "bm-tip" }),
    tipFlaeche: -1,
    zeichnungen: 0,
    zeiten: {},
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
  // Für Tests: Fläche an einem Punkt, ihr Rahmen, ein Punkt in ihr
  z.flaecheAn = (ll) => flaecheAn(z, ll);
  z.grenzen = (i) => flaechenGrenzen(z, i);
  z.innenpunkt = (i) => innenpunkt(z, i);
  // Klick und Hover auf den Flächen: Raster + Punkt-in-Polygon statt eines Leaflet-Objekts je Fläche.
  // Ein Angebot darunter hat den Klick schon gesehen (`_bmGebiet`): dann nicht noch einmal wählen.
  map.on("click", (e) => {
    if (!z.geo || (e.originalEvent && e.originalEvent._bmGebiet)) return;
    // Ortswahl: jeder Klick setzt den Ort, auch zwischen den Flächen (Python prüft ihn und sagt, wenn er außerhalb
    // der Kommune liegt) – sonst bliebe ein Klick knapp daneben ohne jede Antwort
    if (z.ortwahl) return ortSetzen(z, [e.latlng.lat, e.latlng.lng], true);
    const i = flaecheAn(z, e.latlng);
    if (i >= 0) gebietWaehlen(z, i, e.latlng);
  });
  let naechster = null;
  map.on("mousemove", (e) => {
    const erster = naechster === null;
    naechster = e.latlng;
    if (!erster) return;
    requestAnimationFrame(() => {
      const ll = naechster;
      naechster = null;
      if (!z.geo) return;
      // über einem Angebot zeigt das Angebot seinen Tooltip, nicht die Fläche
      const i = z.renderer._hoveredLayer ? -1 : flaecheAn(z, ll);
      if (i !== z.hover) {
        z.hover = i;
        if (z.flaechen) z.flaechen.linienZeichnen();
      }
      if (i >= 0) tooltipZeigen(z, i, ll);
      else tooltipSchliessen(z);
    });
  });
  map.on("mouseout", () => {
    naechster = null;
    if (z.hover >= 0 && z.flaechen) {
      z.hover = -1;
      z.flaechen.linienZeichnen();
    }
    tooltipSchliessen(z);
  });
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
  if (i >= 0 && z.geo.ringe[i].length) d.auswahl = grenzenText(flaechenGrenzen(z, i));
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

/** Die Fläche unter einem Punkt (Breite/Länge) oder -1. */
function flaecheAn(z, latlng) {
  if (!z.geo) return -1;
  const ll = window.L.latLng(latlng);
  return flaecheAmWeltpunkt(z.geo, weltX(ll.lng), weltY(ll.lat));
}

/** Rahmen der Fläche i als Leaflet-Grenzen (Süd/West, Nord/Ost). */
function flaechenGrenzen(z, i) {
  const g = z.geo.grad;
  return window.L.latLngBounds([g[4 * i], g[4 * i + 1]], [g[4 * i + 2], g[4 * i + 3]]);
}

/** Ein Punkt (Breite, Länge) im Innern der Fläche i (für Tests): Mitte des Rahmens oder ein Rasterpunkt darin. */
function innenpunkt(z, i) {
  const b = z.geo.rahmen;
  for (let n = 1; n <= 16; n *= 2)
    for (let a = 0; a < n; a++)
      for (let c = 0; c < n; c++) {
        const px = b[4 * i] + ((a + 0.5) / n) * (b[4 * i + 2] - b[4 * i]);
        const py = b[4 * i + 1] + ((c + 0.5) / n) * (b[4 * i + 3] - b[4 * i + 1]);
        if (flaecheAmWeltpunkt(z.geo, px, py) === i) {
          const lat = (Math.atan(Math.exp((0.5 - py) * 2 * Math.PI)) - Math.PI / 4) * (360 / Math.PI);
          return window.L.latLng(lat, (px - 0.5) * 360);
        }
      }
  return null;
}

function gebietWaehlen(z, i, latlng) {
  if (z.ortwahl) {
    if (latlng) ortSetzen(z, [latlng.lat, latlng.lng], true); // Ort eines Angebots: der Punkt, nicht die Fläche
    return;
  }
  if (z.finder) {
    if (latlng) tooltipZeigen(z, i, latlng); // Flächen sind im Angebotsfinder nur Hintergrund
    return;
  }
  const vorher = z.gewaehlt;
  z.gewaehlt = z.geo.ids[i];
  umrandungErneuern(z, vorher);
  kennzeichnen(z);
  if (latlng) tooltipZeigen(z, i, latlng); // auch ohne Maus (Touch): der Klick zeigt Name und Wert
  z.ausloesen("klick", z.geo.ids[i]);
}

/** Ortswahl (Formular „Meine Angebote“): Markierung an `punkt` [lat, lng]; `melden`: an Python schicken. */
function ortSetzen(z, punkt, melden) {
  if (z.ortMarke) {
    z.ortMarke.remove();
    z.ortMarke = null;
  }
  if (punkt) {
    z.ortMarke = window.L.circleMarker(punkt, { radius: 8, color: "#b2182b", weight: 3, fillOpacity: 0.6 }).addTo(z.map);
    z.container.dataset.ort = `${punkt[0].toFixed(6)},${punkt[1].toFixed(6)}`;
  } else {
    delete z.container.dataset.ort;
  }
  if (melden) z.ausloesen("ort", [Number(punkt[0].toFixed(6)), Number(punkt[1].toFixed(6))]);
}

function tooltipText(z, i) {
  return textZeilen(z.geo.namen[i], z.faerbung && z.faerbung.titel ? `${z.faerbung.titel}: ${werttext(z.faerbung, i)}` : "");
}

function tooltipZeigen(z, i, latlng) {
  if (z.tipFlaeche !== i) {
    z.tip.setContent(tooltipText(z, i));
    z.tipFlaeche = i;
  }
  z.tip.setLatLng(latlng);
  if (!z.map.hasLayer(z.tip)) z.map.openTooltip(z.tip);
}

function tooltipSchliessen(z) {
  if (z.map.hasLayer(z.tip)) z.map.closeTooltip(z.tip);
  z.tipFlaeche = -1;
}

let Ebene = null;

/** Alle Flächen auf einem eigenen Canvas, direkt aus den Ringen: ein Pfad je Farbe, gerade-ungerade gefüllt;
 * gezeichnet wird nur, was im (etwas größeren) Ausschnitt liegt, und je Ring nur Punkte, die mindestens
 * einen halben Pixel auseinander liegen. Hover- und Auswahl-Umrandung liegen auf einem zweiten, kleinen
 * Canvas darüber (Hover zeichnet nicht alles neu). Beide nehmen keine Mausereignisse an: Klicks und Hover
 * wertet die Karte aus (Raster + Punkt-in-Polygon). Verschieben, Zoom-Animation wie Leaflets Renderer. */
function ebenenKlasse(L) {
  if (Ebene) return Ebene;
  Ebene = L.Layer.extend({
    options: { padding: 0.3 },
    initialize(z) {
      this._z = z;
    },
    onAdd(map) {
      if (!map.getPane("bmFlaechen")) {
        const pane = map.createPane("bmFlaechen");
        pane.style.zIndex = 350; // unter Leaflets Canvas (Angebote, 400)
        pane.style.pointerEvents = "none";
      }
      const pane = map.getPane("bmFlaechen");
      this._flaechen = L.DomUtil.create("canvas", "bm-flaechen", pane);
      this._linien = L.DomUtil.create("canvas", "bm-linien", pane);
      if (map._zoomAnimated) for (const c of [this._flaechen, this._linien]) L.DomUtil.addClass(c, "leaflet-zoom-animated");
      this._neu();
    },
    onRemove() {
      this._flaechen.remove();
      this._linien.remove();
    },
    getEvents() {
      const ev = { viewreset: this._neu, zoom: this._beimZoom, moveend: this._neu };
      if (this._map._zoomAnimated) ev.zoomanim = this._beiZoomAnimation;
      return ev;
    },
    _beiZoomAnimation(e) {
      this._transform(e.center, e.zoom);
    },
    _beimZoom() {
      this._transform(this._map.getCenter(), this._map.getZoom());
    },
    _transform(center, zoom) {
      if (!this._bounds) return;
      const map = this._map;
      const scale = map.getZoomScale(zoom, this._zoom);
      const halb = map.getSize().multiplyBy(0.5 + this.options.padding);
      const mitte = map.project(this._center, zoom);
      const versatz = halb.multiplyBy(-scale).add(mitte).subtract(map._getNewPixelOrigin(center, zoom));
      for (const c of [this._flaechen, this._linien]) {
        if (L.Browser.any3d) L.DomUtil.setTransform(c, versatz, scale);
        else L.DomUtil.setPosition(c, versatz);
      }
    },
    /** Ausschnitt neu bestimmen, beide Canvas an ihn legen und alles zeichnen. */
    _neu() {
      const map = this._map;
      if (!map || (map._animatingZoom && this._bounds)) return;
      const p = this.options.padding;
      const size = map.getSize();
      const min = map.containerPointToLayerPoint(size.multiplyBy(-p)).round();
      this._bounds = L.bounds(min, min.add(size.multiplyBy(1 + 2 * p)).round());
      this._center = map.getCenter();
      this._zoom = map.getZoom();
      const groesse = this._bounds.getSize();
      const m = window.devicePixelRatio || 1;
      for (const c of [this._flaechen, this._linien]) {
        L.DomUtil.setPosition(c, min);
        c.width = Math.round(m * groesse.x);
        c.height = Math.round(m * groesse.y);
        c.style.width = `${groesse.x}px`;
        c.style.height = `${groesse.y}px`;
      }
      this.flaechenZeichnen();
    },
    /** Abbildung Welt → Canvas-Pixel: x * s - ox. */
    _abbildung() {
      const map = this._map;
      const s = map.options.crs.scale(map.getZoom());
      const o = map.getPixelOrigin().add(this._bounds.min);
      return { s, ox: o.x, oy: o.y };
    },
    _pfad(ziel, ringe, a) {
      const { s, ox, oy } = a;
      const toleranz = 0.7 / s; // Welt-Einheiten
      const wichtig = this._z.geo.wichtig;
      let punkte = 0;
      for (const ring of ringe) {
        const n = ring.length;
        const w = wichtig.get(ring);
        ziel.moveTo(ring[0] * s - ox, ring[1] * s - oy);
        for (let k = 2; k < n; k += 2)
          if (w[k / 2] >= toleranz) {
            ziel.lineTo(ring[k] * s - ox, ring[k + 1] * s - oy);
            punkte += 1;
          }
        ziel.closePath();
      }
      return punkte;
    },
    flaechenZeichnen() {
      const z = this._z;
      const geo = z.geo;
      if (!this._bounds || !geo) return;
      const t0 = performance.now();
      const ctx = this._flaechen.getContext("2d");
      const m = this._flaechen.width / this._bounds.getSize().x || 1;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, this._flaechen.width, this._flaechen.height);
      ctx.setTransform(m, 0, 0, m, 0, 0);
      const a = this._abbildung();
      const breite = this._bounds.getSize().x;
      const hoehe = this._bounds.getSize().y;
      const f = z.faerbung;
      const r = geo.rahmen;
      // Je Fläche ein Pfad in Canvas-Pixeln, einmal je Ausschnitt (Umfärben setzt nur die Farbpfade neu zusammen)
      const schluessel = `${geo.hash}|${a.s}|${a.ox}|${a.oy}|${breite}|${hoehe}`;
      if (this._schluessel !== schluessel) {
        this._schluessel = schluessel;
        this._einzeln = new Array(geo.ringe.length).fill(null);
        let punkte = 0;
        for (let i = 0; i < geo.ringe.length; i++) {
          if (!geo.ringe[i].length) continue;
          if (r[4 * i + 2] * a.s - a.ox < 0 || r[4 * i] * a.s - a.ox > breite) continue;
          if (r[4 * i + 3] * a.s - a.oy < 0 || r[4 * i + 1] * a.s - a.oy > hoehe) continue;
          const pfad = new Path2D();
          punkte += this._pfad(pfad, geo.ringe[i], a);
          this._einzeln[i] = pfad;
        }
        z.zeiten.punkte = punkte;
      }
      const pfade = new Map();
      let gezeichnet = 0;
      for (let i = 0; i < this._einzeln.length; i++) {
        const einzeln = this._einzeln[i];
        if (!einzeln) continue;
        const farbe = f ? f.farben[Number(f.klasse[i])] : "#d9d9d9";
        if (!pfade.has(farbe)) pfade.set(farbe, new Path2D());
        pfade.get(farbe).addPath(einzeln);
        gezeichnet += 1;
      }
      const t1 = performance.now();
      ctx.globalAlpha = 0.8;
      for (const [farbe, pfad] of pfade) {
        ctx.fillStyle = farbe;
        ctx.fill(pfad, "evenodd");
      }
      ctx.globalAlpha = 1;
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 0.6;
      const t2 = performance.now();
      for (const pfad of pfade.values()) ctx.stroke(pfad);
      ctx.getImageData(0, 0, 1, 1); // auf das Raster warten (Messung)
      const t3 = performance.now();
      this.gezeichnet = gezeichnet;
      z.zeiten.pfade_ms = Math.round(t1 - t0);
      z.zeiten.fuellen_ms = Math.round(t2 - t1);
      z.zeiten.linien_ms = Math.round(t3 - t2);
      z.zeichnungen += 1;
      z.zeiten.zeichnen_ms = Math.round(performance.now() - t0);
      this.linienZeichnen();
    },
    /** Umrandung des gewählten (schwarz) und des Gebiets unter der Maus (grau). */
    linienZeichnen() {
      const z = this._z;
      if (!this._bounds || !z.geo) return;
      const ctx = this._linien.getContext("2d");
      const m = this._linien.width / this._bounds.getSize().x || 1;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, this._linien.width, this._linien.height);
      ctx.setTransform(m, 0, 0, m, 0, 0);
      ctx.lineJoin = "round";
      const a = this._abbildung();
      const gewaehlt = z.geo.ids.indexOf(z.gewaehlt);
      for (const [i, farbe, weite] of [
        [z.hover, "#333333", 3],
        [gewaehlt, "#000000", 3.5],
      ]) {
        if (i == null || i < 0 || !z.geo.ringe[i].length) continue;
        const pfad = new Path2D();
        this._pfad(pfad, z.geo.ringe[i], a);
        ctx.strokeStyle = farbe;
        ctx.lineWidth = weite;
        ctx.stroke(pfad);
      }
    },
  });
  return Ebene;
}

function flaechenAufbauen(L, z, geo) {
  z.geo = geo;
  z.hover = -1;
  tooltipSchliessen(z);
  if (!z.flaechen) z.flaechen = new (ebenenKlasse(L))(z);
  einpassen(z);
  if (!z.map.hasLayer(z.flaechen)) z.flaechen.addTo(z.map);
  else z.flaechen.flaechenZeichnen();
  z.zeiten.dekodieren_ms = geo.dekodieren_ms;
  z.aufbauten += 1;
}

function umrandungErneuern(z, vorher) {
  if (z.flaechen && z.gewaehlt !== vorher) z.flaechen.linienZeichnen();
}

function faerben(z, faerbung, gewaehlt) {
  const neu = !z.faerbung || z.faerbung.hash !== faerbung.hash;
  const vorher = z.gewaehlt;
  z.faerbung = faerbung;
  z.gewaehlt = gewaehlt;
  if (neu || z.zeichnungen === 0) {
    if (z.flaechen) z.flaechen.flaechenZeichnen();
    if (neu) z.faerbungen += 1;
    if (z.tipFlaeche >= 0) {
      const i = z.tipFlaeche;
      z.tipFlaeche = -1;
      if (z.map.hasLayer(z.tip)) tooltipZeigen(z, i, z.tip.getLatLng());
    }
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
  // Im Angebotsfinder nur die sichtbaren Punkte (Bitmaske über alle Ebenen, ab `eintrag.versatz`)
  const bits = z.finder ? z.sichtbarBits : null;
  const sichtbar = [];
  for (let i = 0; i < a.punkte.length; i++) if (!bits || bitGesetzt(bits, eintrag.versatz + i)) sichtbar.push(i);
  eintrag.sichtbar = sichtbar.length;
  const projizieren = (ll, zm) => z.map.project(ll, zm);
  for (const teil of gruppieren(projizieren, sichtbar.map((i) => a.punkte[i]), zoom)) {
    const indizes = teil.map((k) => sichtbar[k]);
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
    // Der Klick gehört (auch) der Fläche darunter; ein einzelnes Angebot zeigt dazu Name und Angaben.
    // Im Angebotsfinder wählt er das Angebot (Auslöser „angebot“) bzw. zoomt in die Gruppe.
    m.on("click", (e) => {
      if (z.finder) {
        if (e.originalEvent) e.originalEvent._bmGebiet = true;
        if (n > 1) {
          z.map.setView(ll, Math.min(z.map.getZoom() + 2, EINZELN_AB_ZOOM), { animate: false });
          return;
        }
        const i = indizes[0];
        m.closeTooltip();
        L.popup({ autoPan: false }).setLatLng(ll).setContent(textZeilen(a.namen[i], a.kategorie, a.info[i])).openOn(z.map);
        z.ausloesen("angebot", eintrag.versatz + i);
        return;
      }
      if (n === 1) {
        const i = indizes[0];
        m.closeTooltip();
        L.popup({ autoPan: false }).setLatLng(ll).setContent(textZeilen(a.namen[i], a.kategorie, a.info[i])).openOn(z.map);
      }
      const f = flaecheAn(z, e.latlng);
      if (e.originalEvent) e.originalEvent._bmGebiet = true;
      if (f >= 0) gebietWaehlen(z, f, n === 1 ? null : e.latlng);
    });
    eintrag.ebene.addLayer(m);
  }
}

function bitsLesen(text) {
  const roh = atob(String(text || "").replace(/-/g, "+").replace(/_/g, "/"));
  const bits = new Uint8Array(roh.length);
  for (let i = 0; i < roh.length; i++) bits[i] = roh.charCodeAt(i);
  return bits;
}

function bitGesetzt(bits, i) {
  const b = bits[i >> 3];
  return b !== undefined && ((b >> (7 - (i & 7))) & 1) === 1;
}

/** Das hervorgehobene Angebot (Angebotsfinder): ein Ring um seine Position, nur solange es sichtbar ist. */
function markierungSetzen(L, z) {
  if (z.markierung) {
    z.markierung.remove();
    z.markierung = null;
  }
  const pos = z.finder ? z.finder.gewaehlt : null;
  if (pos === null || pos === undefined || (z.sichtbarBits && !bitGesetzt(z.sichtbarBits, pos))) return;
  for (const eintrag of z.angebote.values()) {
    const i = pos - eintrag.versatz;
    if (i < 0 || i >= eintrag.daten.punkte.length) continue;
    z.markierung = L.circleMarker(eintrag.daten.punkte[i], {
      renderer: z.renderer,
      radius: 12,
      color: "#000000",
      weight: 3,
      fill: false,
      interactive: false,
    }).addTo(z.map);
    return;
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
  let versatz = 0;
  const neueBits = z.finder ? z.finder.sichtbar : null;
  const bitsNeu = neueBits !== z.sichtbarText;
  if (bitsNeu) {
    z.sichtbarText = neueBits;
    z.sichtbarBits = neueBits === null || neueBits === undefined ? null : bitsLesen(neueBits);
  }
  for (const a of liste) {
    const alt = z.angebote.get(a.hash);
    if (alt) {
      const verschoben = alt.versatz !== versatz;
      alt.versatz = versatz;
      versatz += a.punkte.length;
      if (verschoben || (bitsNeu && z.finder)) angeboteZeichnen(L, z, alt);
      continue;
    }
    const ebene = L.layerGroup();
    ebene.bmKategorie = a.kategorie;
    const eintrag = { ebene, kategorie: a.kategorie, daten: a, versatz };
    versatz += a.punkte.length;
    angeboteZeichnen(L, z, eintrag);
    z.angebote.set(a.hash, eintrag);
    if (z.finder) {
      ebene.addTo(z.map);
      continue;
    }
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
  performance.mark("bm-daten");
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
  z.finder = data.finder || null;
  z.ortwahl = data.ortwahl || null;
  if (z.ortwahl) ortSetzen(z, z.ortwahl.punkt || null, false);
  angeboteSetzen(L, z, angebote);
  if (z.finder) markierungSetzen(L, z);
  faerben(z, data.faerbung, data.gewaehlt);
  performance.mark("bm-gezeichnet");
  // Kennzeichen, sobald der Canvas neu gezeichnet und im Bild ist (für Tests und Messungen: „Flächen gezeichnet“)
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      kennzeichnen(z);
      z.container.dataset.geometrie = geo.hash;
      z.container.dataset.faerbung = data.faerbung.hash;
      if (z.finder) {
        let n = 0;
        for (const eintrag of z.angebote.values()) n += eintrag.sichtbar || 0;
        z.container.dataset.angeboteSichtbar = String(n);
        z.container.dataset.angebotGewaehlt = z.finder.gewaehlt === null ? "" : String(z.finder.gewaehlt);
      }
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
