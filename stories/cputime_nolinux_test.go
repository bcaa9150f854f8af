//go:build !linux

package stories

import "time"

// threadCPUTime is unknown off Linux; benchmarks then report 0.
func threadCPUTime() time.Duration { return 0 }
