import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Command } from 'commander';
import { buildCli } from '../../client/cli';

/** Every `npx hexmeta ...` command line in the README's sh blocks, continuation lines joined, comments cut. */
function documentedCommandLines(): string[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const lines: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1].split('\n')) {
      const line = raw.replace(/\s#.*$/, '');
      if (/^\s+\[/.test(line) && lines.length) lines[lines.length - 1] += ` ${line.trim()}`;
      else lines.push(...line.split('&&').map((part) => part.trim()).filter((part) => part.startsWith('npx hexmeta ')));
    }
  }
  return lines;
}

/** The command paths a line names (`schedule list|describe` is two) and the flags it shows. */
function usageOf(line: string): { paths: string[][]; flags: string[] } {
  const words = line.replace(/^npx hexmeta /, '').split(/\s+/);
  const path: string[][] = [];
  for (const word of words) {
    if (!/^[a-z][a-z|-]*$/.test(word)) break;
    path.push(word.split('|'));
  }
  const paths = path.reduce<string[][]>((all, choices) => all.flatMap((prefix) => choices.map((c) => [...prefix, c])), [[]]);
  const flags = [...line.matchAll(/(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b/g)].map((m) => m[1]);
  return { paths, flags };
}

function commandAt(program: Command, path: string[]): Command | undefined {
  let command: Command | undefined = program;
  for (const name of path) command = command?.commands.find((c) => c.name() === name);
  return command;
}

test('every command and flag the README shows exists on that command', () => {
  const program = buildCli();
  const lines = documentedCommandLines();
  assert.ok(lines.length >= 10, `README command lines: ${lines.join('\n')}`);
  const checked: string[] = [];
  for (const line of lines) {
    const { paths, flags } = usageOf(line);
    for (const path of paths) {
      const command = commandAt(program, path);
      assert.ok(command, `README names a command that does not exist: hexmeta ${path.join(' ')} (${line})`);
      for (const flag of flags) {
        const known = command.options.some((o) => o.long === flag || o.short === flag);
        assert.ok(known, `README shows hexmeta ${path.join(' ')} ${flag}, which the command rejects`);
        checked.push(`${path.join(' ')} ${flag}`);
      }
    }
  }
  for (const expected of ['schedule trigger --json', 'schedule delete --json', 'schedule pause --note', 'demo --keep', 'init --dir', 'ingest --ui']) {
    assert.ok(checked.includes(expected), `${expected} is among the documented flags checked`);
  }
});
