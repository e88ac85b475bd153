/**
 * What the panel does around a run: bring a dataset in (and point a Dataset node at it),
 * translate an image with a trained generator, export a generator, save the samples.
 */
import { checkDocument } from '../../graph/check';
import type { GraphDocument } from '../../graph/document';
import { setParam } from '../../graph/edits';
import type { FolderLoadReport } from '../../runtime/data/folder';
import { downloadBlob, fileStemFor } from '../persistence';
import type { ActionContext } from './runActions';
import { documentAsTrained, samplesPng } from './samples';
import { effectiveOverrides } from './settings';
import { shownRun, shownStep } from './trainingSelectors';
import type { DatasetView, TrainingActions } from './trainingState';

function countText(report: FolderLoadReport): string {
  const { trainA, trainB, testA, testB } = report.loaded;
  const skipped = report.skipped.length;
  return (
    `trainA ${trainA}, trainB ${trainB}, testA ${testA}, testB ${testB}` +
    (skipped ? `; ${skipped} file${skipped === 1 ? '' : 's'} skipped` : '')
  );
}

type ResultActions = Pick<
  TrainingActions,
  'addDataset' | 'translate' | 'exportNetwork' | 'saveSamples'
>;

export function createResultActions(context: ActionContext): ResultActions {
  const { get, set, editor, supervisor, notify, setSettings } = context;

  /** The worker holding this document's trained weights; none (that is said) before training. */
  const trainedWorker = () => {
    const client = supervisor.current();
    if (client && shownRun(get())?.ready) return client;
    notify('Train or resume first: the generators have no trained weights yet', 'error');
    return undefined;
  };

  return {
    addDataset: (name, files, nodeId) =>
      supervisor.serial('dataset', async () => {
        const doc = editor.getState().document;
        const overrides = effectiveOverrides(doc, get().settings.overrides);
        const selected = editor.getState().selection.nodes[0];
        const target =
          doc.nodes.find((n) => n.id === nodeId) ??
          doc.nodes.find((n) => n.id === selected && n.kind === 'Dataset') ??
          doc.nodes.find((n) => n.kind === 'Dataset');
        if (!target) {
          notify('This graph has no Dataset node to train on a folder: add one first', 'error');
          return;
        }
        const resolved = checkDocument(doc, overrides).graph?.nodes.find((n) => n.id === target.id);
        const loadSize = (resolved?.params.loadSize ?? resolved?.params.size) as number | undefined;
        if (typeof loadSize !== 'number') {
          notify(`${target.id}: its size has a problem; fix it first`, 'error');
          return;
        }
        const source = `folder:${name}`;
        const view: DatasetView = { source, name, status: 'reading' };
        set({ datasets: [...get().datasets.filter((d) => d.source !== source), view] });
        const client = await context.worker();
        if (!client) return;
        const result = await client.api.addDataset(source, name, files, loadSize);
        const update = (patch: Partial<DatasetView>) =>
          set({
            datasets: get().datasets.map((d) => (d.source === source ? { ...d, ...patch } : d)),
          });
        if (!result.ok) {
          update({
            status: 'failed',
            message: result.message,
            ...(result.report ? { report: result.report } : {}),
          });
          notify(result.message, 'error');
          return;
        }
        const summary = countText(result.report);
        update({ status: 'ready', report: result.report, summary });
        setSettings({
          datasets: [
            ...get().settings.datasets.filter((d) => d.source !== source),
            { source, name, summary },
          ],
        });
        if (target.params?.source !== source) {
          editor
            .getState()
            .actions.applyToDocument((d: GraphDocument) =>
              setParam(d, target.id, 'source', source),
            );
        }
        const trains = `${target.label ?? target.id} now trains on ${name}: ${summary}`;
        if (result.notKept) {
          notify(
            `${trains}; its files could not be kept for after a reload (${result.notKept})`,
            'error',
          );
        } else {
          notify(trains);
        }
      }),
    translate: (networkId, image) =>
      supervisor.serial('translate', async () => {
        const client = trainedWorker();
        if (client) set({ translation: await client.api.translate(networkId, image) });
      }),
    exportNetwork: (networkId) =>
      supervisor.serial('export', async () => {
        const client = trainedWorker();
        if (!client) return;
        const exported = await client.api.exportNetwork(networkId);
        downloadBlob(
          new Blob([exported.zip as BlobPart], { type: 'application/zip' }),
          `${networkId}.tfjs.zip`,
        );
        notify(
          `Exported ${networkId} at step ${shownStep(get())}: model.json and weights.bin, for tf.loadGraphModel`,
        );
      }),
    saveSamples: () =>
      supervisor.serial('samples', async () => {
        const samples = shownRun(get())?.samples;
        if (!samples) return;
        const current = editor.getState().document;
        const doc = documentAsTrained(
          current,
          effectiveOverrides(current, get().settings.overrides),
        );
        downloadBlob(
          await samplesPng(samples.images, doc),
          `${fileStemFor(doc)}-step${samples.step}.png`,
        );
      }),
  };
}
