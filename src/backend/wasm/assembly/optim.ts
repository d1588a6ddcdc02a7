// In-place optimizer updates (task ids 40..49).

export function optimizerTask(task: i32, args: usize, chunk: i32): void {}
