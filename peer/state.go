package peer

// State is an RFC 4271 §8.2.2 session state.
type State uint8

// The six RFC 4271 states, with ExaBGP's names as String returns them.
const (
	StateIdle State = iota
	StateActive
	StateConnect
	StateOpenSent
	StateOpenConfirm
	StateEstablished
)

var stateNames = [...]string{"IDLE", "ACTIVE", "CONNECT", "OPENSENT", "OPENCONFIRM", "ESTABLISHED"}

// String returns ExaBGP's name of the state ("IDLE", ..., "ESTABLISHED"), as
// the API's fsm events print it.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "INVALID"
}

var timerNames = [...]string{"connect-retry", "hold", "keepalive", "send-hold", "connect", "rate"}

// String names the timer for logs.
func (k Timer) String() string {
	if int(k) < len(timerNames) {
		return timerNames[k]
	}
	return "timer-" + string(rune('0'+int(k)%10))
}
