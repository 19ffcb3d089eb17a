package wire

import (
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestInlining guards the speed of the receive path (GitHub issue 2's
// benchmark criterion, BenchmarkDecodeUpdate): these functions must stay
// inlinable, as the compiler reports with -gcflags=-m.
func TestInlining(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package with the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = runtime.GOROOT() + "/bin/go"
	}
	out, err := exec.Command(goTool, "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go build -gcflags=-m: %v\n%s", err, out)
	}
	got := map[string]bool{}
	re := regexp.MustCompile(`: can inline (\S+)`)
	for _, line := range strings.Split(string(out), "\n") {
		if m := re.FindStringSubmatch(line); m != nil {
			got[m[1]] = true
		}
	}
	for _, want := range []string{
		"Message.Type",
		"Message.Len",
		"Message.Body",
		"Update.PathAttrsOffset",
		"Update.EOR",
		"Update.NLRIOffset",
		"Prefixes",
		"(*PrefixIter).Prefix",
		"(*PrefixIter).PathID",
		"(*PrefixIter).Err",
		"Attrs",
		"(*AttrIter).Attr",
		"(*AttrIter).Err",
		"(*Negotiated).IsASN4",
		"(*Negotiated).ReceiveAddPath",
		"(*Negotiated).SendAddPath",
		"(*Negotiated).MaxMessageSize",
		"(*UpdateAttrs).withdraw",
		"(*UpdateAttrs).decodeCommunities",
		"(*UpdateAttrs).decodeExtCommunities",
		"(*UpdateAttrs).decodeLargeCommunities",
		"peek4",
		"span",
		"appendU16",
		"appendU32",
		"putU16",
		"beginAttr",
	} {
		if !got[want] {
			t.Errorf("%s is no longer inlinable", want)
		}
	}
}
