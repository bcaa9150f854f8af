//go:build !unix

package stories

import "time"

// cpuTime is unknown on this platform; benchmarks then report 0.
func cpuTime() time.Duration { return 0 }
