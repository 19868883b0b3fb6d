export {
  countOutputs,
  EXECUTED_DIR,
  type ExecutedNotebook,
  executeNotebooks,
  hasJupyter,
  installTslabKernel,
  NOTEBOOKS_DIR,
  type NotebookOutput,
  notebookResult,
  notebookText,
} from './executeNotebooks.ts';
export { markdownTable, snapshotSummary } from './markdownTable.ts';
export {
  NOTEBOOKS_ERRORS,
  NotebooksError,
  type NotebooksErrorCode,
  notebooksError,
} from './NotebooksError.ts';
export { notebookModel } from './notebookModel.ts';
export { type PlotOptions, plotSeries } from './plotSeries.ts';
export { showMarkdown, showPng, showSvg } from './show.ts';
