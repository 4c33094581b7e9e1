// Test page only: start rasa-webchat (UMD global WebChat) on the same socket.io channel.
(function () {
  var host = document.getElementById("rasa-webchat");
  window.WebChat.default({
    selector: "#rasa-webchat",
    socketUrl: host.dataset.socketUrl,
    socketPath: "/socket.io/",
    initPayload: "/greet",
    title: "Assistant orientation",
    inputTextFieldHint: "Votre message",
    embedded: true,
    showFullScreenButton: false,
    params: { storage: "session" }
  }, null);
})();
