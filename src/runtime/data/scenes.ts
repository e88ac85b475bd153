/**
 * Procedural day/night scenes: the built-in two-domain image set, needing no download.
 *
 * A seed fixes one scene (sky, sun or moon, clouds, hills, buildings with windows, trees,
 * ground) in relative coordinates; domain A renders it by day, domain B by night. The day to
 * night translation is mostly a fixed per-material colour map (surfaces darkened and shifted to
 * blue, the sky taken to dark blue) plus structure a translator has to invent or erase: stars,
 * the sun becoming a moon, a seeded subset of the windows lit. Pure TypeScript on
 * Float32Arrays, so it runs in a worker, in Node and in tests.
 */
import { createRandom, hashInts, type Random } from './random';

export type SceneDomain = 'A' | 'B';

/** The smallest size whose render still shows the scene's layout. */
export const MIN_SCENE_SIZE = 8;

type Rgb = readonly [number, number, number];

interface Hill {
  /** Height above the horizon, as a fraction of the image height. */
  base: number;
  waves: { amplitude: number; frequency: number; phase: number }[];
  colour: Rgb;
}

interface Cloud {
  puffs: { x: number; y: number; r: number }[];
}

interface Building {
  kind: 'building';
  x0: number;
  x1: number;
  top: number;
  /** The v of the object's foot: larger is nearer the viewer. */
  foot: number;
  colour: Rgb;
  columns: number;
  rows: number;
  litFraction: number;
  windowSeed: number;
}

interface Tree {
  kind: 'tree';
  x: number;
  foot: number;
  trunkHalfWidth: number;
  trunkTop: number;
  canopyY: number;
  canopyR: number;
  trunkColour: Rgb;
  canopyColour: Rgb;
}

interface Scene {
  horizon: number;
  skyTop: Rgb;
  skyHorizon: Rgb;
  celestial: { x: number; y: number; r: number };
  clouds: Cloud[];
  /** Back to front; rendering tests them front to back. */
  hills: Hill[];
  groundColour: Rgb;
  /** Nearest first. */
  objects: (Building | Tree)[];
  /** Per star-grid cell: x, y, brightness (0 where the cell has no star). */
  stars: Float64Array;
}

const SCENE_SALT = 0x5ce9e5;

// Night colours are a fixed function of the day colour, so the A->B mapping is learnable:
// lit surfaces keep a little moonlight, shifted towards blue; the sky goes to dark blue.
const NIGHT_SURFACE_GAIN: Rgb = [0.2, 0.23, 0.38];
const NIGHT_SURFACE_AMBIENT: Rgb = [0.01, 0.015, 0.04];
const NIGHT_SKY_GAIN: Rgb = [0.07, 0.09, 0.27];
const DAY_SKY_GAIN: Rgb = [1, 1, 1];
const SUN_COLOUR: Rgb = [1.0, 0.94, 0.6];
const MOON_COLOUR: Rgb = [0.93, 0.93, 0.86];
const SUN_HALO: Rgb = [0.25, 0.2, 0.05];
const MOON_HALO: Rgb = [0.08, 0.08, 0.1];
const WINDOW_GLASS: Rgb = [0.5, 0.64, 0.78];
const WINDOW_LIGHT: Rgb = [1.0, 0.84, 0.45];
const CLOUD_COLOUR: Rgb = [0.96, 0.97, 1.0];
const WALL_COLOURS: readonly Rgb[] = [
  [0.72, 0.7, 0.66],
  [0.68, 0.38, 0.3],
  [0.85, 0.78, 0.6],
  [0.55, 0.6, 0.68],
  [0.9, 0.88, 0.84],
];

/** Stars sit one per cell of a STAR_GRID x STAR_GRID grid over the image, so a pixel tests one. */
const STAR_GRID = 14;
const STAR_PROBABILITY = 0.45;

/**
 * Renders scene `seed` at `size` x `size` in domain A (day) or B (night): HWC, 3 channels,
 * values in [-1, 1] as the reference CycleGAN normalizes images. The same seed gives the same
 * scene in both domains, and, geometry being relative, at every size.
 */
export function renderScene(seed: number, size: number, domain: SceneDomain): Float32Array {
  if (!Number.isInteger(size) || size < MIN_SCENE_SIZE) {
    throw new Error(`renderScene: size expected an integer >= ${MIN_SCENE_SIZE}, received ${size}`);
  }
  if (domain !== 'A' && domain !== 'B') {
    throw new Error(`renderScene: domain expected 'A' or 'B', received ${String(domain)}`);
  }
  const scene = createScene(seed);
  const night = domain === 'B';
  // 2x2 supersampling: edges get partial coverage, so a 2x render pooled down matches a 1x one.
  const samples = 2;
  const sampleCount = size * samples;
  const hillTops = scene.hills.map((hill) => {
    const tops = new Float64Array(sampleCount);
    for (let sx = 0; sx < sampleCount; sx++) {
      tops[sx] = hillTop(hill, scene.horizon, (sx + 0.5) / sampleCount);
    }
    return tops;
  });
  const starRadius = Math.max(0.004, 0.75 / size);
  const sums = new Float64Array(size * size * 3);
  const colour = new Float64Array(3);
  for (let sy = 0; sy < sampleCount; sy++) {
    const v = (sy + 0.5) / sampleCount;
    // Only the objects and cloud puffs spanning this row can be hit on it.
    const row: RowLayers = {
      objects: scene.objects.filter((o) => v >= objectTop(o) && v < o.foot),
      puffs: scene.clouds.flatMap((c) => c.puffs.filter((p) => Math.abs(v - p.y) < p.r)),
    };
    const rowStart = Math.floor(sy / samples) * size;
    for (let sx = 0; sx < sampleCount; sx++) {
      shade(scene, row, night, (sx + 0.5) / sampleCount, v, hillTops, sx, starRadius, colour);
      const o = (rowStart + Math.floor(sx / samples)) * 3;
      sums[o] = sums[o]! + colour[0]!;
      sums[o + 1] = sums[o + 1]! + colour[1]!;
      sums[o + 2] = sums[o + 2]! + colour[2]!;
    }
  }
  const out = new Float32Array(size * size * 3);
  const weight = 1 / (samples * samples);
  for (let k = 0; k < out.length; k++) {
    out[k] = Math.min(1, Math.max(0, sums[k]! * weight)) * 2 - 1;
  }
  return out;
}

interface RowLayers {
  objects: (Building | Tree)[];
  puffs: Cloud['puffs'];
}

function objectTop(object: Building | Tree): number {
  return object.kind === 'building' ? object.top : object.canopyY - object.canopyR;
}

function createScene(seed: number): Scene {
  if (!Number.isFinite(seed)) {
    throw new Error(`renderScene: seed expected a finite number, received ${seed}`);
  }
  const rng = createRandom(hashInts(Math.trunc(seed), SCENE_SALT));
  const between = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  const horizon = between(0.58, 0.72);
  const skyTop: Rgb = [between(0.2, 0.38), between(0.45, 0.62), between(0.86, 0.98)];
  const skyHorizon: Rgb = [between(0.68, 0.86), between(0.8, 0.92), between(0.93, 1.0)];
  const celestial = {
    x: between(0.1, 0.9),
    y: between(0.1, horizon - 0.3),
    r: between(0.05, 0.08),
  };

  const clouds: Cloud[] = [];
  const cloudCount = rng.int(4);
  for (let c = 0; c < cloudCount; c++) {
    const cx = between(0.05, 0.95);
    const cy = between(0.08, horizon - 0.25);
    const width = between(0.1, 0.22);
    const puffCount = 3 + rng.int(2);
    const puffs = [];
    for (let p = 0; p < puffCount; p++) {
      const t = puffCount === 1 ? 0.5 : p / (puffCount - 1);
      // Middle puffs are larger and overlap their neighbours, giving one cumulus outline.
      const r = width * between(0.3, 0.4) * (1 - 0.6 * Math.abs(t - 0.5));
      puffs.push({ x: cx + (t - 0.5) * width, y: cy - r * between(0.2, 0.5), r });
    }
    clouds.push({ puffs });
  }

  const hills: Hill[] = [];
  const hillCount = 1 + rng.int(3);
  for (let h = 0; h < hillCount; h++) {
    // Farther hills (earlier) are taller, paler and bluer: atmospheric perspective.
    const depth = hillCount === 1 ? 1 : h / (hillCount - 1);
    const haze = 0.35 * (1 - depth);
    const green: Rgb = [between(0.2, 0.38), between(0.45, 0.62), between(0.18, 0.32)];
    hills.push({
      base: between(0.04, 0.1) + 0.1 * (1 - depth),
      waves: [0, 1].map(() => ({
        amplitude: between(0.015, 0.06),
        frequency: between(3, 13),
        phase: between(0, 2 * Math.PI),
      })),
      colour: [
        green[0] + (skyHorizon[0] - green[0]) * haze,
        green[1] + (skyHorizon[1] - green[1]) * haze,
        green[2] + (skyHorizon[2] - green[2]) * haze,
      ],
    });
  }
  const groundColour: Rgb = [between(0.3, 0.5), between(0.5, 0.66), between(0.22, 0.34)];

  const objects: (Building | Tree)[] = [];
  const buildingCount = rng.int(6);
  for (let k = 0; k < buildingCount; k++) {
    const width = between(0.07, 0.17);
    const x0 = between(-0.03, 1.03 - width);
    const height = between(0.14, 0.42);
    const foot = horizon + between(0, 0.06);
    const wall = WALL_COLOURS[rng.int(WALL_COLOURS.length)]!;
    const shade = between(0.85, 1.05);
    objects.push({
      kind: 'building',
      x0,
      x1: x0 + width,
      top: foot - height,
      foot,
      colour: [wall[0] * shade, wall[1] * shade, wall[2] * shade],
      columns: Math.max(1, Math.round(width / 0.035)),
      rows: Math.max(1, Math.round(height / 0.05)),
      litFraction: between(0.3, 0.8),
      windowSeed: rng.int(0x7fffffff),
    });
  }
  const treeCount = rng.int(6);
  for (let k = 0; k < treeCount; k++) {
    const foot = horizon + between(0.03, 0.2);
    // Nearer trees are drawn larger.
    const scale = 0.7 + 2 * (foot - horizon);
    const canopyR = between(0.03, 0.05) * scale;
    const trunkTop = foot - between(0.04, 0.07) * scale;
    objects.push({
      kind: 'tree',
      x: between(0, 1),
      foot,
      trunkHalfWidth: 0.008 * scale,
      trunkTop,
      canopyY: trunkTop - canopyR * 0.6,
      canopyR,
      trunkColour: [between(0.35, 0.45), between(0.24, 0.3), between(0.14, 0.2)],
      canopyColour: [between(0.1, 0.22), between(0.35, 0.5), between(0.12, 0.22)],
    });
  }
  objects.sort((p, q) => q.foot - p.foot);

  return {
    horizon,
    skyTop,
    skyHorizon,
    celestial,
    clouds,
    hills,
    groundColour,
    objects,
    stars: createStars(rng),
  };
}

function createStars(rng: Random): Float64Array {
  const stars = new Float64Array(STAR_GRID * STAR_GRID * 3);
  for (let gy = 0; gy < STAR_GRID; gy++) {
    for (let gx = 0; gx < STAR_GRID; gx++) {
      const s = (gy * STAR_GRID + gx) * 3;
      const present = rng.next() < STAR_PROBABILITY;
      const x = (gx + 0.2 + 0.6 * rng.next()) / STAR_GRID;
      const y = (gy + 0.2 + 0.6 * rng.next()) / STAR_GRID;
      const brightness = 0.6 + 0.4 * rng.next();
      stars[s] = x;
      stars[s + 1] = y;
      stars[s + 2] = present ? brightness : 0;
    }
  }
  return stars;
}

function hillTop(hill: Hill, horizon: number, u: number): number {
  let height = hill.base;
  for (const wave of hill.waves) {
    height += wave.amplitude * Math.sin(wave.frequency * u + wave.phase);
  }
  return horizon - Math.max(0.005, height);
}

function setSurface(out: Float64Array, c: Rgb, brightness: number, night: boolean): void {
  if (night) {
    out[0] = c[0] * brightness * NIGHT_SURFACE_GAIN[0] + NIGHT_SURFACE_AMBIENT[0];
    out[1] = c[1] * brightness * NIGHT_SURFACE_GAIN[1] + NIGHT_SURFACE_AMBIENT[1];
    out[2] = c[2] * brightness * NIGHT_SURFACE_GAIN[2] + NIGHT_SURFACE_AMBIENT[2];
  } else {
    out[0] = c[0] * brightness;
    out[1] = c[1] * brightness;
    out[2] = c[2] * brightness;
  }
}

function setColour(out: Float64Array, c: Rgb, brightness = 1): void {
  out[0] = c[0] * brightness;
  out[1] = c[1] * brightness;
  out[2] = c[2] * brightness;
}

/** The colour at relative point (u, v), testing layers front to back; the first hit wins. */
function shade(
  scene: Scene,
  row: RowLayers,
  night: boolean,
  u: number,
  v: number,
  hillTops: Float64Array[],
  sampleColumn: number,
  starRadius: number,
  out: Float64Array,
): void {
  for (const object of row.objects) {
    if (object.kind === 'building') {
      if (u >= object.x0 && u < object.x1 && v >= object.top && v < object.foot) {
        shadeBuilding(object, night, u, v, out);
        return;
      }
    } else {
      const dx = u - object.x;
      const dy = v - object.canopyY;
      if (dx * dx + dy * dy < object.canopyR * object.canopyR) {
        // Lit from above-left: a mild gradient across the canopy.
        const light = 1.1 - 0.35 * ((dx + dy) / object.canopyR + 1) * 0.5;
        setSurface(out, object.canopyColour, light, night);
        return;
      }
      if (Math.abs(dx) < object.trunkHalfWidth && v >= object.trunkTop && v < object.foot) {
        setSurface(out, object.trunkColour, 1, night);
        return;
      }
    }
  }
  const { horizon } = scene;
  if (v >= horizon) {
    setSurface(out, scene.groundColour, 1 - 0.3 * ((v - horizon) / (1 - horizon)), night);
    return;
  }
  for (let h = scene.hills.length - 1; h >= 0; h--) {
    const top = hillTops[h]![sampleColumn]!;
    if (v >= top) {
      setSurface(out, scene.hills[h]!.colour, 0.9 + 0.15 * ((v - top) / (horizon - top)), night);
      return;
    }
  }
  for (const puff of row.puffs) {
    const dx = u - puff.x;
    const dy = v - puff.y;
    if (dx * dx + dy * dy < puff.r * puff.r) {
      setSurface(out, CLOUD_COLOUR, 1 - 0.12 * Math.max(0, dy / puff.r), night);
      return;
    }
  }
  const { celestial } = scene;
  const cdx = u - celestial.x;
  const cdy = v - celestial.y;
  const distance2 = (cdx * cdx + cdy * cdy) / (celestial.r * celestial.r);
  if (distance2 < 1) {
    setColour(out, night ? MOON_COLOUR : SUN_COLOUR);
    return;
  }
  if (night && shadeStar(scene.stars, u, v, starRadius, out)) {
    return;
  }
  const t = v / horizon;
  const halo = night ? MOON_HALO : SUN_HALO;
  // Beyond about seven radii the halo adds under 1e-4: skip the exponential.
  const glow = distance2 < 50 ? Math.exp(-(distance2 - 1) / 6) : 0;
  const { skyTop, skyHorizon } = scene;
  const gain = night ? NIGHT_SKY_GAIN : DAY_SKY_GAIN;
  out[0] = (skyTop[0] + (skyHorizon[0] - skyTop[0]) * t) * gain[0] + halo[0] * glow;
  out[1] = (skyTop[1] + (skyHorizon[1] - skyTop[1]) * t) * gain[1] + halo[1] * glow;
  out[2] = (skyTop[2] + (skyHorizon[2] - skyTop[2]) * t) * gain[2] + halo[2] * glow;
}

function shadeBuilding(
  building: Building,
  night: boolean,
  u: number,
  v: number,
  out: Float64Array,
): void {
  const cu = ((u - building.x0) / (building.x1 - building.x0)) * building.columns;
  const cv = ((v - building.top) / (building.foot - building.top)) * building.rows;
  const column = Math.floor(cu);
  const row = Math.floor(cv);
  const fu = cu - column;
  const fv = cv - row;
  // The bottom row is the entrance storey: wall only.
  const inWindow = row < building.rows - 1 && fu > 0.25 && fu < 0.75 && fv > 0.3 && fv < 0.75;
  if (!inWindow) {
    setSurface(out, building.colour, 1, night);
    return;
  }
  if (!night) {
    setColour(out, WINDOW_GLASS);
    return;
  }
  const hash = hashInts(building.windowSeed, column, row) / 4294967296;
  if (hash < building.litFraction) {
    setColour(out, WINDOW_LIGHT, 0.85 + 0.15 * (hash / building.litFraction));
  } else {
    setSurface(out, WINDOW_GLASS, 0.6, true);
  }
}

/** Writes a star's colour and returns true when (u, v) lies on the star of its grid cell. */
function shadeStar(
  stars: Float64Array,
  u: number,
  v: number,
  radius: number,
  out: Float64Array,
): boolean {
  const gx = Math.min(STAR_GRID - 1, Math.floor(u * STAR_GRID));
  const gy = Math.min(STAR_GRID - 1, Math.floor(v * STAR_GRID));
  const s = (gy * STAR_GRID + gx) * 3;
  const brightness = stars[s + 2]!;
  if (brightness === 0) return false;
  const dx = u - stars[s]!;
  const dy = v - stars[s + 1]!;
  if (dx * dx + dy * dy >= radius * radius) return false;
  out[0] = brightness;
  out[1] = brightness;
  out[2] = brightness * 0.95 + 0.05;
  return true;
}
