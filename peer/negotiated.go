package peer

import "exago/wire"

// Negotiated is what both OPENs of the current session agreed
// (wire.Negotiate); read-only once the session is in OpenConfirm.
type Negotiated = wire.Negotiated
