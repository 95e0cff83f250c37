// Command pulumi-language-nodejs is a small Node.js language host for the
// Pulumi engine, written for this project.
//
// Why it exists: the upstream host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which
// has never been tagged and which the Go module proxy we can reach refuses
// (403) at every version and pseudo-version. The engine only needs a handful
// of LanguageRuntime calls to run a Node.js program, and the program side of
// the contract (the `@pulumi/pulumi/cmd/run` script and the PULUMI_* variables
// it reads) ships in the npm package, so this host implements exactly that:
// it resolves `@pulumi/pulumi/cmd/run` from the program directory and runs it
// with Node.js. Dependency installation, code generation and packing are left
// unimplemented; the engine treats those as optional.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// bailExitCode is the code @pulumi/pulumi's run script exits with after it has
// already shown the user an actionable error; the engine must not add another.
const bailExitCode = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	life          lifetime
}

func main() {
	args := os.Args[1:]
	// The engine passes its own address as the last positional argument; any
	// flags before it are accepted and ignored.
	var engine string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			engine = a
		}
	}
	h := &host{engineAddress: engine}
	// Exit with the engine: a killed CLI cannot stop its plugins any more.
	if engine != "" {
		if err := h.life.watch(engine); err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: watching the engine: %v\n", err)
			os.Exit(1)
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
		// Started without an address on the command line: watch the one given here.
		if err := h.life.watch(req.GetEngineAddress()); err != nil {
			return nil, status.Errorf(codes.Internal, "watching the engine: %v", err)
		}
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version.Version, "v")}, nil
}

// Programs that use only dynamic providers need no resource plugins, and we
// do not scan node_modules for plugin packages.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, "node was not found on PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "node --version: %v", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// findRunScript walks up from dir looking for node_modules/@pulumi/pulumi/cmd/run,
// following Node's own resolution order for a bare package name.
func findRunScript(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js")
		if _, err := os.Stat(candidate); err == nil {
			return filepath.Dir(candidate), nil
		}
		if parent := filepath.Dir(d); parent == d {
			break
		}
	}
	return "", fmt.Errorf("could not find @pulumi/pulumi from %s: run `npm install` in the project", dir)
}

func optionString(info *pulumirpc.ProgramInfo, name string) (string, bool) {
	if info == nil || info.GetOptions() == nil {
		return "", false
	}
	v, ok := info.GetOptions().GetFields()[name]
	if !ok {
		return "", false
	}
	switch {
	case v.GetStringValue() != "":
		return v.GetStringValue(), true
	default:
		return strconv.FormatBool(v.GetBoolValue()), true
	}
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	pwd := req.GetPwd()
	if pwd == "" && req.GetInfo() != nil {
		pwd = req.GetInfo().GetProgramDirectory()
	}
	runScript, err := findRunScript(pwd)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node was not found on PATH"}, nil
	}

	var args []string
	if nodeargs, ok := optionString(req.GetInfo(), "nodeargs"); ok && nodeargs != "" {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, runScript,
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+h.engineAddress,
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+pwd,
		"--parallel="+strconv.Itoa(int(req.GetParallel())),
	)
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	if req.GetInfo() != nil && req.GetInfo().GetRootDirectory() != "" {
		args = append(args, "--root-directory="+req.GetInfo().GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	program := req.GetProgram()
	if program == "" {
		program = "."
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	// A stack with no config at all arrives as a nil map, which JSON-encodes as
	// `null`; @pulumi/pulumi then fails on the first `new Config().get()` with
	// "Cannot convert undefined or null to object". The upstream host sends {}.
	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{}
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	)
	// TypeScript is on unless Pulumi.yaml says `typescript: false`, as upstream.
	if ts, ok := optionString(req.GetInfo(), "typescript"); !ok || ts != "false" {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, ok := optionString(req.GetInfo(), "tsconfig"); ok && tsconfig != "" {
		// Relative to Pulumi.yaml, whatever directory the program runs in.
		if !filepath.IsAbs(tsconfig) && req.GetInfo().GetRootDirectory() != "" {
			tsconfig = filepath.Join(req.GetInfo().GetRootDirectory(), tsconfig)
		}
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if !h.life.add(cmd.Process) {
		_ = cmd.Process.Kill()
	}
	err = cmd.Wait()
	h.life.remove(cmd.Process)
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}
