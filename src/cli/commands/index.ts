// Every command of the CLI, one module each; this is the only place that lists them.
import type { Command } from 'commander';
import { registerCalc } from './calc.js';
import { registerCampaigns } from './campaigns.js';
import { registerClassify } from './classify.js';
import { registerDemo } from './demo.js';
import { registerExplain } from './explain.js';
import { registerExport } from './export.js';
import { registerForget } from './forget.js';
import { registerRetention } from './retention.js';
import { registerBackup } from './backup.js';
import { registerRestore } from './restore.js';
import { registerImport } from './import.js';
import { registerKeys } from './keys.js';
import { registerRanges } from './ranges.js';
import { registerReplies } from './replies.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { registerWrap } from './wrap.js';

export function registerCommands(program: Command): void {
  registerCalc(program);
  registerImport(program);
  registerReport(program);
  registerCampaigns(program);
  registerDemo(program);
  registerWrap(program);
  registerServe(program);
  registerKeys(program);
  registerClassify(program);
  registerExplain(program);
  registerForget(program);
  registerExport(program);
  registerRetention(program);
  registerBackup(program);
  registerRestore(program);
  registerRanges(program);
  registerReplies(program);
}
