// Package e2e drives the real slant server with a real browser: it builds
// the slant binary, starts `slant serve` on a free loopback port, and uses
// headless Chromium (through the DevTools protocol, with chromedp) to
// analyse an example article, hover and click highlighted spans, check that
// an article full of script markup executes nothing, and open a story.
//
// The tests run only with SLANT_E2E=1 (.ci/run sets it after installing
// Debian's chromium) and skip with a message when no Chromium is found.
// Screenshots go to e2e/out/*.png.
package e2e
