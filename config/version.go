package config

// Release is the ExaBGP release ExaGo replaces; it is what `exabgp
// version`, the API `version` command and the software-version capability
// report unless the exabgp_version environment variable overrides it.
const Release = "5.0.13"

// JSONVersion is the "exabgp" value in every JSON event (version.json).
const JSONVersion = "5.0.0"

// ExaGoVersion is ExaGo's own version.
const ExaGoVersion = "0.1.0"

// Version returns the release string: $exabgp_version when set, else
// [Release].
func Version(environ []string) string {
	if v, ok := lookupEnvOK(environ, EnvVersion); ok && v != "" {
		return v
	}
	return Release
}
