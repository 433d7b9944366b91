import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A person who clones the repository has only the repository: no tracked
 * file may send him to a document outside it (the project describes itself
 * in docs/). `.ci/` is the one exception: CI runs beside a copy of the
 * material the project was built from.
 */
// Built from parts so that this file does not itself name what it looks for.
const PARENT = ['\\.\\.', 'shared'].join('\\/');
const OUTSIDE = new RegExp(`${PARENT}|shared\\/spec|api-seed\\.md|accounts-chat-sse\\.md|play-lobby-tournament\\.md|web-client\\.md|(?<![\\w/-])game\\.md|DESIGN\\.md|\\b[Tt]he spec('s)?\\b`);

/** This file names the patterns it looks for. */
const SELF = 'test/repository/self-contained.test.ts';

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((path) => path && !path.startsWith('.ci/') && path !== 'package-lock.json' && path !== SELF && !/\.(png|jpe?g|ico|woff2?|br|gz)$/.test(path));
}

describe('the repository stands on its own', () => {
  it('no tracked file refers to a document outside it', () => {
    const offenders: string[] = [];
    for (const path of trackedFiles()) {
      let text: string;
      try {
        text = readFileSync(`${ROOT}/${path}`, 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      text.split('\n').forEach((line, index) => {
        if (OUTSIDE.test(line)) offenders.push(`${path}:${index + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(offenders, offenders.slice(0, 30).join('\n')).toEqual([]);
  });

  it('the check itself catches a reference', () => {
    expect(OUTSIDE.test(['see ..', 'shared', 'spec', 'api-seed.md'].join('/'))).toBe(true);
    expect(OUTSIDE.test('(game.md §6.9)')).toBe(true);
    expect(OUTSIDE.test('docs/game-protocol.md')).toBe(false);
  });
});
