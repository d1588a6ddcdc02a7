// NumPy-style formatting: filled in by the creation/printing work
export {};
