/**
 * The training worker: tfjs lives here, never on the page's thread. The page talks to it through
 * comlink (see protocol.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { expose } from 'comlink';
import { TrainingSession } from './trainingSession';

expose(new TrainingSession(tf));
