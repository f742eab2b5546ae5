import type { DataConverter } from '@temporalio/common';
import type { Report, Summary } from '../test/fixtures/activities.js';

/** The workflow, task queue and run the history records. */
export const recorded: { namespace: string; workflowType: string; activityType: string; taskQueue: string; workflowId: string; runId: string };

/** The workflow's input and its activity's result. */
export function recordedValues(): { report: Report; summary: Summary };

/** The history JSON of one run of summarizeReport, its payloads stored through `dataConverter`'s external storage. */
export function recordHistory(dataConverter: DataConverter, values?: { report: Report; summary: Summary }): Promise<string>;
