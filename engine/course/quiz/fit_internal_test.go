package quiz

import "testing"

// TestFitQuestion: a question leaves room for the answer on survey's
// line; key help breaks between its items, anything else goes above.
func TestFitQuestion(t *testing.T) {
	const nav = "Enter: next · b: back · r: run it again · c: the capture · q: quit"
	tests := []struct {
		name, prompt string
		width        int
		lead, last   string
	}{
		{"room enough", "Your answer:", 80, "", "Your answer:"},
		{"key help gives up its last items", nav, 80, "Enter: next · b: back · r: run it again ·", "c: the capture · q: quit"},
		{"key help on a narrow terminal keeps a short last item", nav, 40, "Enter: next · b: back ·\nr: run it again · c: the capture ·", "q: quit"},
		{"a question with too little room goes above", "你的答案（输入 ? 获取提示）：", 40, "你的答案（输入 ? 获取提示）：", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lead, last := fitQuestion(tt.prompt, tt.width)
			if lead != tt.lead || last != tt.last {
				t.Errorf("fitQuestion(%q, %d) = %q, %q; want %q, %q", tt.prompt, tt.width, lead, last, tt.lead, tt.last)
			}
		})
	}
}
