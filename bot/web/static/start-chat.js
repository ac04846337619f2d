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

// rasa-webchat names its controls only with English image alts ("send",
// "close") or not at all, and announces nothing to screen readers; it has
// no option for either, so the names (in Vietnamese) and a live region are
// added here, whenever the widget draws or redraws them.
(function () {
  "use strict";
  const NAMES = [
    [".rw-launcher", "Mở khung hỏi đáp Bluezone"],
    [".rw-new-message", "Nhập câu hỏi"],
    [".rw-send", "Gửi câu hỏi"],
    [".rw-close-button", "Đóng khung hỏi đáp"],
    [".rw-toggle-fullscreen-button", "Phóng to hoặc thu nhỏ khung hỏi đáp"],
  ];

  function label() {
    NAMES.forEach(([selector, name]) => {
      document.querySelectorAll(selector).forEach((node) => {
        if (node.getAttribute("aria-label") !== name) node.setAttribute("aria-label", name);
      });
    });
    document.querySelectorAll(".rw-messages-container").forEach((log) => {
      if (log.getAttribute("role") !== "log") {
        log.setAttribute("role", "log");
        log.setAttribute("aria-live", "polite");
        log.setAttribute("aria-label", "Cuộc trò chuyện");
      }
    });
  }

  new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
  label();
})();
