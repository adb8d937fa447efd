#!/usr/bin/env node
// The `kequn-worker` command. A file of its own (not dist/) so that the workspace can link the bin
// before anything is built; the worker itself is the compiled dist/bin.js.
import '../dist/bin.js';
