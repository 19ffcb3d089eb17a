package api

import "testing"

// FuzzCommand feeds arbitrary helper output through the read path: no
// input may panic, and every line gets at most one ack.
func FuzzCommand(f *testing.F) {
	for _, seed := range []string{
		"announce route 1.0.0.0/24 next-hop 1.1.1.1\n",
		"neighbor 10.0.0.1 router-id 1.1.1.1 , neighbor 10.0.0.2 teardown 4\n",
		"neighbor\nneighbor 1.1.1.1\nneighbor 1.1.1.1 local-as\n",
		"show adj-rib in extensive json\nshow neighbor 1.1.1.1\n",
		"announce eor ipv4 unicast\nannounce route-refresh ipv6 flow\n",
		"debug hi\n# x\nhelp\ndisable-ack\nenable-ack\nsilence-ack\n",
		"announce operational asm afi ipv4\nwithdraw watchdog\n,,,\n[ ( ] )\n",
		"\xff\x00\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s, _, _ := testServer(t)
		p := s.procs["p1"]
		s.consume(p, in)
	})
}
