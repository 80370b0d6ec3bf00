// Small output helpers shared by commands: stdout writing and the warnings channel.

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function warn(text: string): void {
  process.stderr.write(`warning: ${text}\n`);
}
