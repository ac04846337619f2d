// Opens the rasa-webchat widget against the Rasa server that served this
// page (same origin: its socket.io endpoint sends no CORS headers).
// The conversation id and history live in the browser's localStorage, so a
// reload keeps the conversation; Rasa issues a random id on first visit.
window.WebChat.default({
  socketUrl: window.location.origin,
  socketPath: "/socket.io/",
  initPayload: "/greet",
  title: "Hỏi đáp Bluezone",
  subtitle: "Sở TT&TT Sóc Trăng",
  inputTextFieldHint: "Nhập câu hỏi của anh/chị...",
  hideWhenNotConnected: false,
  showFullScreenButton: true,
  params: { storage: "local" },
  // Each bubble after a short pause, not a pause that grows with its length.
  customMessageDelay: () => 600,
}, null);
