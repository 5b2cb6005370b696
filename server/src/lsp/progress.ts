/**
 * Indexing progress for `$/progress`: a percentage, sent only when it changes.
 * Reading calls back after every job and every few milliseconds of its own
 * work, far more often than a progress bar can show.
 */
export function percentProgress(send: (percent: number, message: string) => void): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    // Rounded down: 100 only once every file is read.
    const percent = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 100;
    if (percent === last) return;
    last = percent;
    send(percent, `${done}/${total} files`);
  };
}
