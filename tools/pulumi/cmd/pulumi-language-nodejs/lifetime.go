package main

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
)

// engineCheckInterval is how often the host asks the engine's gRPC health
// service whether it is still there. Upstream plugins check every few minutes;
// a host orphaned by a killed CLI keeps its program, and the cloud calls that
// program makes, running until the check fails, and a check is one local RPC.
const engineCheckInterval = time.Second

// lifetime ties the host and the Node.js programs it runs to the engine: once
// the engine's health check fails, nobody is left to read our output or to
// stop us, so we stop the programs and exit.
type lifetime struct {
	once     sync.Once
	mu       sync.Mutex
	programs map[*os.Process]struct{}
	ended    bool
}

// watch starts the health check of the engine at addr; later calls do nothing
// (the address comes both on the command line and in Handshake).
func (l *lifetime) watch(addr string) error {
	var err error
	l.once.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		// Healthcheck cancels ctx on the first failed check: a refused
		// connection, since a live engine answers at once.
		if err = rpcutil.Healthcheck(ctx, addr, engineCheckInterval, cancel); err != nil {
			cancel()
			return
		}
		go func() {
			<-ctx.Done()
			l.end()
		}()
	})
	return err
}

// add records a started program; it reports false, and the caller must kill
// the program, when the engine is already gone.
func (l *lifetime) add(p *os.Process) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return false
	}
	if l.programs == nil {
		l.programs = map[*os.Process]struct{}{}
	}
	l.programs[p] = struct{}{}
	return true
}

// remove forgets a program that has exited.
func (l *lifetime) remove(p *os.Process) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.programs, p)
}

// end kills the programs and exits. It writes nothing: stdout and stderr are
// pipes to the dead engine, and a write would end us with SIGPIPE before the
// programs are stopped.
func (l *lifetime) end() {
	l.mu.Lock()
	l.ended = true
	for p := range l.programs {
		_ = p.Kill()
	}
	l.mu.Unlock()
	killOwnProcessGroup()
	os.Exit(1)
}
