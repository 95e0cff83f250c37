//go:build !unix

package main

// killOwnProcessGroup does nothing where there are no process groups; the
// programs the host tracks are still killed one by one.
func killOwnProcessGroup() {}
