// Security keys (WebAuthn) on /security/ and on the sign-in's second step. A button
// with data-webauthn="create" (add a key) or "get" (sign in with one) reads the server's
// options from the JSON script named by data-options, asks the browser (which asks the
// key), puts the key's answer, as JSON, in the hidden input named by data-credential
// and submits its form. A refusal or a timeout is said in the element data-error names.
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var binary = "";
    new Uint8Array(buffer).forEach(function (b) { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map(function (item) {
      return Object.assign({}, item, { id: toBytes(item.id) });
    });
  }

  function creationOptions(json) {
    var options = Object.assign({}, json.publicKey);
    options.challenge = toBytes(options.challenge);
    options.user = Object.assign({}, options.user, { id: toBytes(options.user.id) });
    options.excludeCredentials = withIds(options.excludeCredentials);
    return { publicKey: options };
  }

  function requestOptions(json) {
    var options = Object.assign({}, json.publicKey);
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = withIds(options.allowCredentials);
    return { publicKey: options };
  }

  function answer(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      json.response.attestationObject = toText(response.attestationObject);
    } else {
      json.response.authenticatorData = toText(response.authenticatorData);
      json.response.signature = toText(response.signature);
      json.response.userHandle = response.userHandle ? toText(response.userHandle) : null;
    }
    return JSON.stringify(json);
  }

  function say(slot, text) {
    if (!slot) { return; }
    slot.textContent = text;
    slot.hidden = !text;
  }

  document.querySelectorAll("button[data-webauthn]").forEach(function (button) {
    var mode = button.getAttribute("data-webauthn");
    var source = document.getElementById(button.getAttribute("data-options"));
    var input = document.getElementById(button.getAttribute("data-credential"));
    var slot = document.getElementById(button.getAttribute("data-error"));
    if (!source || !input) { return; }
    if (!window.PublicKeyCredential || !navigator.credentials) {
      button.disabled = true;
      say(slot, "This browser cannot use security keys.");
      return;
    }
    button.addEventListener("click", function () {
      var json = JSON.parse(source.textContent);
      say(slot, "");
      button.disabled = true;
      var asked = mode === "create"
        ? navigator.credentials.create(creationOptions(json))
        : navigator.credentials.get(requestOptions(json));
      asked.then(function (credential) {
        input.value = answer(credential);
        input.form.submit();
      }).catch(function () {
        button.disabled = false;
        say(slot, "The security key did not answer (it was cancelled, timed out, or is " +
          (mode === "create" ? "already added)." : "not one you added).") + " Try again.");
      });
    });
  });
})();
