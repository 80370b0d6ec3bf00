// Every command of the CLI, one module each; this is the only place that lists them.
import type { Command } from 'commander';
import { registerCalc } from './calc.js';
import { registerCampaigns } from './campaigns.js';
import { registerClassify } from './classify.js';
import { registerDemo } from './demo.js';
import { registerExplain } from './explain.js';
import { registerImport } from './import.js';
import { registerKeys } from './keys.js';
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
  registerReplies(program);
}
