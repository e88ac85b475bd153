import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { TrainingActions, TrainingState } from './trainingState';
import type { TrainingStore } from './trainingStore';

const TrainingContext = createContext<TrainingStore | null>(null);

export function TrainingProvider({
  store,
  children,
}: {
  store: TrainingStore;
  children: ReactNode;
}) {
  return <TrainingContext.Provider value={store}>{children}</TrainingContext.Provider>;
}

export function useTrainingStore(): TrainingStore {
  const store = useContext(TrainingContext);
  if (!store) throw new Error('useTrainingStore needs a TrainingProvider above it');
  return store;
}

/** A slice of the training state; the selector must return a stable value (no new objects). */
export function useTraining<T>(selector: (state: TrainingState) => T): T {
  return useStore(useTrainingStore(), selector);
}

export function useTrainingActions(): TrainingActions {
  return useTraining((s) => s.actions);
}
