/** The registry of node kinds: the palette, inspector, connection rules and compiler read it. */
import type { AnyNodeKind } from './kind';
import { ActivationNode } from './Activation';
import { AddNode } from './Add';
import { BatchNormNode } from './BatchNorm';
import { InputNode, OutputNode } from './bodyBoundary';
import { ConcatNode } from './Concat';
import { ConvNode } from './Conv';
import { DatasetNode } from './Dataset';
import { DenseNode } from './Dense';
import { DropoutNode } from './Dropout';
import { EnergyNode } from './Energy';
import { FlattenNode } from './Flatten';
import { GradientPenaltyNode } from './GradientPenalty';
import { ImagePoolNode } from './ImagePool';
import { ImagesNode } from './Images';
import { InstanceNormNode } from './InstanceNorm';
import { LossNode } from './Loss';
import { DiscriminatorNode, GeneratorNode } from './networkApplication';
import { NoiseNode } from './Noise';
import { OptimizerNode } from './Optimizer';
import { PreviewNode } from './Preview';
import { ReflectionPadNode } from './ReflectionPad';
import { ReshapeNode } from './Reshape';
import { ResidualNode } from './Residual';
import { UpsampleNode } from './Upsample';

export const NODE_KINDS: readonly AnyNodeKind[] = [
  InputNode,
  OutputNode,
  ConvNode,
  InstanceNormNode,
  BatchNormNode,
  ActivationNode,
  ReflectionPadNode,
  ResidualNode,
  UpsampleNode,
  ConcatNode,
  AddNode,
  DropoutNode,
  DenseNode,
  ReshapeNode,
  FlattenNode,
  EnergyNode,
  DatasetNode,
  ImagesNode,
  NoiseNode,
  GeneratorNode,
  DiscriminatorNode,
  LossNode,
  GradientPenaltyNode,
  ImagePoolNode,
  OptimizerNode,
  PreviewNode,
];

const byKind = new Map(NODE_KINDS.map((k) => [k.kind, k]));

export function findNodeKind(kind: string): AnyNodeKind | undefined {
  return byKind.get(kind);
}

export function nodeKindNames(): string[] {
  return NODE_KINDS.map((k) => k.kind);
}

export type { AnyNodeKind, PortSpec, Shape, PortType } from './kind';
