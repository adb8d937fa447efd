// Programmatic access to what the `kequn` command does.
export { createProgram } from './program.js';
export { runDemo, topShare, type DemoOptions, type DemoReport, type SegmentRow } from './demo.js';
export { demoText, segmentTable, formatWan, type Locale } from './format.js';
