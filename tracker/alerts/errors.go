package alerts

import "fmt"

// Error is a failed delivery. Its text never contains a secret.
type Error struct {
	// Temporary is true when a later attempt may succeed (a network
	// failure, a busy server); false when the channel's settings must be
	// fixed first (wrong password, unknown address, a webhook that answers 404).
	Temporary bool
	// Msg says what failed.
	Msg string
	// Advice says what to do about it, when there is something to say.
	Advice string
}

func (e *Error) Error() string {
	if e.Advice == "" {
		return e.Msg
	}
	return e.Msg + "; " + e.Advice
}

func temporary(advice, format string, a ...any) *Error {
	return &Error{Temporary: true, Msg: fmt.Sprintf(format, a...), Advice: advice}
}

func permanent(advice, format string, a ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, a...), Advice: advice}
}
