'use strict';
// Ending a detached child (started with `detached: true`, so it leads its own
// process group) and everything it started: SIGTERM to the group, then SIGKILL
// if it is still there after `graceMs`.

/** @param {import('node:child_process').ChildProcess} child @param {number} [graceMs] */
async function killGroup(child, graceMs = 3000) {
  if (child.pid === undefined) return;
  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(-child.pid, 'SIGTERM');
  for (let waited = 0; waited < graceMs && alive(); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (alive()) process.kill(-child.pid, 'SIGKILL');
}

module.exports = { killGroup };
