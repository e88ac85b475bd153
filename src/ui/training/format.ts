/** 95 → "1 min 35 s", 7300 → "2 h 2 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** What each backend is called. */
export const BACKEND_NAMES: Record<string, string> = {
  auto: 'Automatic',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  cpu: 'CPU',
};

/** How long ago `then` was (ms), roughly: "just now", "4 min ago", "2 h ago", "3 days ago". */
export function formatAgo(then: number, now: number): string {
  const s = Math.max(0, (now - then) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const days = Math.floor(s / 86_400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}
