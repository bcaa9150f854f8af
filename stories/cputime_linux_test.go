//go:build linux

package stories

import (
	"syscall"
	"time"
)

// threadCPUTime returns the CPU time of the calling OS thread (the caller
// must have locked its goroutine to it), which measures the sequential
// part of Group.
func threadCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
