// Runs in the test page before each browser test file. Chromium reports "ResizeObserver loop
// completed with undelivered notifications" when the virtualizer resizes rows inside its own
// ResizeObserver callback; the notifications are delivered on the next frame, so this is not an
// error of the element (the spec's wording: a benign loop limit). Anything else still fails the run.
window.addEventListener(
  'error',
  (event) => {
    if (/ResizeObserver loop/.test(event.message)) {
      event.stopImmediatePropagation();
      event.preventDefault();
    }
  },
  true,
);
