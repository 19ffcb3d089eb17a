// Package qa holds ExaGo's end-to-end harnesses: the ExaBGP encoding
// conformance test (encoding_test.go, driven by the test peer in
// qa/testpeer), the BIRD 2 interop test (interop_bird_test.go) and the demo
// (demo.sh). They run the real `exabgp` binary, so they are slow and live
// apart from the unit tests.
//
// Which end-to-end tests must pass is kept in ratchet files
// (encoding_pass.txt, interop_pass.txt): a listed test that fails fails
// `go test`; an unlisted one only reports its result, and says so loudly
// when it starts to pass, so the list can grow as the daemon does.
package qa
