//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package text

import "time"

// cpuTime is not available here; benchmarks then report wall-clock figures
// only.
func cpuTime() (time.Duration, bool) { return 0, false }
