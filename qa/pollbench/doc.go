// Package pollbench measures the question behind docs/ARCHITECTURE.md,
// section "netpoll and epoll: the choice": what it costs to deliver socket
// events to a single goroutine that owns all state, with x/sys epoll (the
// pattern of reactor/poller.go, copied, not imported) and with
// github.com/cloudwego/netpoll's public API; whether netpoll can stop reading
// a connection (back-pressure); and how long netpoll's Flush and Next park
// their caller.
//
// Figures: go run ./qa/pollbench/cmd (each variant in a child process).
// Benchmarks: go test -run '^$' -bench . ./qa/pollbench
package pollbench
