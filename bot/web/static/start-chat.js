// Opens the rasa-webchat widget against the Rasa server that served this
// page (same origin: its socket.io endpoint sends no CORS headers).
// The conversation id and history live in the browser's localStorage, so a
// reload keeps the conversation; Rasa issues a random id on first visit.
// A question sent in the instant its server dies goes into a connection
// that is already gone: socket.io keeps what is sent while it knows it is
// disconnected and sends it on reconnecting, but not this, and rasa-webchat
// does not ask the server to acknowledge messages. So the last question,
// sent while connected and not yet answered, is sent again, with the
// conversation's id, on the connection to the server the widget reaches
// next (through nginx, another one).
const resendLost = (function () {
  "use strict";
  let connected = false;
  let unanswered = null;
  // Seen before the widget takes the text: Enter in the question box, or the send button.
  function sending() {
    const box = document.querySelector(".rw-new-message");
    const text = box ? box.value.trim() : "";
    if (text) unanswered = connected ? text : null;
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && event.target.matches(".rw-new-message")) sending();
  }, true);
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest(".rw-send")) sending();
  }, true);
  function sessionId() {
    try {
      return JSON.parse(window.localStorage.getItem("chat_session")).session_id;
    } catch (error) {
      return null;
    }
  }
  return {
    connect: function () {
      connected = true;
      const lost = unanswered;
      unanswered = null;
      if (!lost) return;
      // The server takes messages for a conversation only once it has
      // confirmed it to this connection.
      this.once("session_confirm", () => {
        if (sessionId()) this.emit("user_uttered", { message: lost, customData: {}, session_id: sessionId() });
      });
    },
    disconnect: () => { connected = false; },
    bot_uttered: () => { unanswered = null; },
  };
})();

window.WebChat.default({
  socketUrl: window.location.origin,
  onSocketEvent: resendLost,
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
