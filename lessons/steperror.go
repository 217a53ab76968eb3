package lessons

import "wiretutor/engine/text/message"

// StepError is a step of an exchange that failed between the lesson's
// own programs (its bot could not connect to its server, say): Step
// names it, ui.toml's error.step.<Step> with Data, and the command line
// adds what the system said (Cause).
type StepError struct {
	Step string
	Data map[string]any
	Err  error
	// Peer: the step is verify's side, facing the learner's program.
	Peer bool
}

// Error names the step and the cause, for logs.
func (e *StepError) Error() string { return "step " + e.Step + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *StepError) Unwrap() error { return e.Err }

// Message names the sentence that tells the learner which step failed.
func (e *StepError) Message() (string, map[string]any) {
	id := "error.lesson_step"
	if e.Peer {
		id = "error.peer_step"
	}
	return id, map[string]any{"Step": message.Msg{ID: "error.step." + e.Step, Data: e.Data}}
}

// failed wraps err as the failure of a step of the lesson's exchange.
func failed(step string, data map[string]any, err error) error {
	return &StepError{Step: step, Data: data, Err: err}
}

// peerFailed wraps err as the failure of a step of verify's side.
func peerFailed(step string, data map[string]any, err error) error {
	return &StepError{Step: step, Data: data, Err: err, Peer: true}
}
