// Voice interviews: the browser talks to the Realtime model over WebRTC with an ephemeral
// secret minted by our server, and posts each transcript it receives back to the server,
// which stores it encrypted and reads it like a typed answer. The API key never comes here.
(function () {
  var USER_DONE = "conversation.item.input_audio_transcription.completed";
  var MODEL_DONE = ["response.output_audio_transcript.done", "response.audio_transcript.done"];

  function csrfHeaders() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    } catch (error) {
      return {};
    }
  }

  function say(button, text) {
    var note = document.getElementById("voice-status");
    if (!note) {
      note = document.createElement("p");
      note.id = "voice-status";
      note.className = "muted small";
      note.setAttribute("role", "status");
      button.closest("form").append(note);
    }
    note.textContent = text;
  }

  async function post(url, body) {
    var headers = Object.assign({ "Content-Type": "application/json" }, csrfHeaders());
    var response = await fetch(url, { method: "POST", headers: headers, body: JSON.stringify(body || {}) });
    var data = await response.json().catch(function () { return {}; });
    if (!response.ok) throw new Error(data.error || "The server said no (" + response.status + ").");
    return data;
  }

  async function start(button) {
    button.disabled = true;
    say(button, "Connecting…");
    var secret = await post(button.dataset.secretUrl);
    var peer = new RTCPeerConnection();
    var speaker = document.createElement("audio");
    speaker.autoplay = true;
    peer.ontrack = function (event) { speaker.srcObject = event.streams[0]; };
    var microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    microphone.getTracks().forEach(function (track) { peer.addTrack(track, microphone); });
    var channel = peer.createDataChannel("oai-events");
    channel.addEventListener("open", function () {
      say(button, "Listening. Speak your answers; they appear below as they are stored.");
      channel.send(JSON.stringify({ type: "response.create" }));
    });
    channel.addEventListener("message", async function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (error) { return; }
      if (event.type !== USER_DONE && MODEL_DONE.indexOf(event.type) < 0) return;
      try {
        var result = await post(button.dataset.transcriptUrl, {
          type: event.type, transcript: event.transcript, item_id: event.item_id, response_id: event.response_id
        });
        if (result.next_question) {
          channel.send(JSON.stringify({
            type: "response.create",
            response: { instructions: "Ask exactly this next question, then wait: " + result.next_question }
          }));
        } else if (result.done) {
          channel.send(JSON.stringify({ type: "response.create", response: { instructions: "Thank the person; the interview is over." } }));
          say(button, "The interview is over. Reload the page to see what was learned.");
        }
        if (window.htmx) htmx.ajax("GET", button.dataset.chatUrl, { target: "#chat", swap: "outerHTML" });
      } catch (error) {
        say(button, error.message);
      }
    });
    var offer = await peer.createOffer();
    await peer.setLocalDescription(offer);
    var answer = await fetch(secret.calls_url, {
      method: "POST",
      body: offer.sdp,
      headers: { Authorization: "Bearer " + secret.client_secret, "Content-Type": "application/sdp" }
    });
    if (!answer.ok) throw new Error("The voice service refused the call (" + answer.status + "). Type your answers instead.");
    await peer.setRemoteDescription({ type: "answer", sdp: await answer.text() });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("#voice-start");
    if (!button) return;
    start(button).catch(function (error) {
      button.disabled = false;
      say(button, error.message || "Voice could not start. Type your answers instead.");
    });
  });
})();
