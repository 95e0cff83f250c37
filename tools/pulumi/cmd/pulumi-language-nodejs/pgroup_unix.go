//go:build unix

package main

import (
	"os"
	"syscall"
)

// killOwnProcessGroup ends the process group we lead, as the engine does when
// it closes a plugin: the engine starts every plugin as the leader of a new
// group, so the group also holds whatever our programs started. When we lead
// no group (started by hand), the group is someone else's and is left alone.
func killOwnProcessGroup() {
	if pid := os.Getpid(); syscall.Getpgrp() == pid {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
}
