// The staff workbench: "Thử hội thoại". Plain DOM, no framework, nothing
// loaded from elsewhere (the page's CSP allows only this origin).
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const turns = document.getElementById("turns");
  const form = document.getElementById("say");
  const input = document.getElementById("message");
  const error = document.getElementById("error");
  const keep = document.getElementById("keep");
  const keepStatus = document.getElementById("keep-status");
  let conversation = newId();
  let tried = []; // [message as typed or the button's title, what the bot understood]

  function newId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
    children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return node;
  }

  function percent(x) {
    return (100 * x).toFixed(0) + "%";
  }

  function named(ranked) {
    return [ranked.topic + " ", el("span", { class: "code" }, "[" + ranked.intent + "] "), percent(ranked.confidence)];
  }

  function answers(messages) {
    return messages.map((m) => {
      const bubble = el("div", { class: "answer" }, m.text || "");
      (m.buttons || []).forEach((b) => {
        if (b.url) {
          bubble.append(el("a", { class: "link", href: b.url, rel: "noopener", target: "_blank" }, b.title));
        } else {
          const button = el("button", { type: "button" }, b.title);
          button.addEventListener("click", () => send(b.payload, b.title));
          bubble.append(button);
        }
      });
      return bubble;
    });
  }

  function details(turn) {
    const list = el("dl");
    turn.questions.forEach((q, i) => {
      if (turn.questions.length > 1) list.append(el("dt", {}, "Câu hỏi " + (i + 1) + ": " + q.text));
      list.append(el("dt", {}, "Chủ đề"), el("dd", {}, named(q.topic)));
      if (q.family) {
        list.append(
          el("dt", {}, "Câu hỏi cụ thể"),
          el("dd", {}, q.family_question ? q.family_question + " " : "", el("span", { class: "code" }, "[" + q.family + "]"))
        );
      }
      if (q.runners_up.length) {
        list.append(el("dt", {}, "Chủ đề gần nhất"), el("dd", {}, q.runners_up.map((r) => el("div", {}, named(r)))));
      }
      if (q.entities.length) {
        list.append(el("dt", {}, "Thông tin nhận ra"), el("dd", {}, q.entities.map((e) => e[0] + " = " + e[1]).join(", ")));
      }
    });
    list.append(
      el("dt", {}, "Trả lời bởi"),
      el("dd", {}, turn.steps.map((s) => el("div", { class: "code" }, s.action + (s.policy ? " (" + s.policy + ")" : ""))))
    );
    return el("div", { class: "details" }, list);
  }

  async function send(message, shown) {
    error.textContent = "";
    const reply = await fetch("api/say", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ conversation: conversation, message: message }),
      credentials: "same-origin",
    });
    const data = await reply.json().catch(() => ({ error: "Máy chủ trả lời không hợp lệ (" + reply.status + ")." }));
    if (!reply.ok) {
      error.textContent = data.error || "Lỗi " + reply.status;
      return;
    }
    const last = data.questions[data.questions.length - 1];
    tried.push([shown || message, last ? last.family || last.topic.intent : ""]);
    keep.disabled = false;
    keepStatus.textContent = "";
    turns.append(
      el(
        "li",
        { class: "turn" },
        el("div", {}, el("p", { class: "citizen" }, "Người dân: " + (shown || message)), answers(data.answers)),
        details(data)
      )
    );
    input.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (!message) return;
    input.value = "";
    send(message);
  });

  async function post(path, body) {
    const reply = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = await reply.json().catch(() => ({ error: "Lỗi " + reply.status }));
    return { ok: reply.ok, data: data };
  }

  function labelPicker(labels, id) {
    const select = el("select", { id: id });
    select.append(el("option", { value: "" }, "— chọn nhóm câu hỏi —"));
    const topics = new Map();
    labels.forEach((l) => {
      if (!topics.has(l.topic)) topics.set(l.topic, el("optgroup", { label: l.topic_name }));
      topics.get(l.topic).append(el("option", { value: l.key }, l.question));
    });
    topics.forEach((group) => select.append(group));
    select.append(el("option", { value: NEW_FAMILY }, "➕ Nhóm câu hỏi mới (viết câu trả lời mới)…"));
    return select;
  }

  const NEW_FAMILY = "+new";

  function labelled(id, label, input) {
    input.id = id;
    return el("div", { class: "field" }, el("label", { for: id }, label), input);
  }

  // A family the bot has no answer for: its question, answer and the
  // public source the answer rests on (bot/new_family.py).
  function newFamilyForm(index, labels) {
    const topic = el("select", {});
    const seen = new Set();
    labels.forEach((l) => {
      if (l.key.includes("/") && !seen.has(l.topic)) {
        seen.add(l.topic);
        topic.append(el("option", { value: l.topic }, l.topic_name));
      }
    });
    const inputs = {
      topic: topic,
      name: el("input", { pattern: "[a-z][a-z0-9_]{2,39}", placeholder: "vd. cai_cho_tre_em" }),
      question: el("input", { maxlength: "200" }),
      answer: el("textarea", { rows: "4" }),
      fact: el("textarea", { rows: "3", maxlength: "600" }),
      source: el("input", { type: "url", placeholder: "https://..." }),
      published: el("input", { type: "date" }),
    };
    const form = el("fieldset", { class: "new-family", hidden: "" },
      el("legend", {}, "Nhóm câu hỏi mới"),
      labelled("nf-topic-" + index, "Chủ đề", inputs.topic),
      labelled("nf-name-" + index, "Tên nhóm (chữ thường không dấu, số, _)", inputs.name),
      labelled("nf-question-" + index, "Nhóm này hỏi gì", inputs.question),
      labelled("nf-answer-" + index, "Câu trả lời (dưới 400 ký tự, có thể dùng {hotline}...)", inputs.answer),
      labelled("nf-fact-" + index, "Dữ kiện làm căn cứ (chép đúng điều nguồn nói)", inputs.fact),
      labelled("nf-source-" + index, "Địa chỉ trang công khai nói điều đó", inputs.source),
      labelled("nf-published-" + index, "Ngày của nguồn", inputs.published));
    form.values = () => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value.trim()]));
    return form;
  }

  function missedGroup(group, index, labels) {
    const item = el("li", { class: "missed" });
    const boxes = group.texts.map(([text, count], n) => {
      const box = el("input", { type: "checkbox", id: "m" + index + "-" + n });
      box.checked = true;
      box.dataset.text = text;
      return el("div", {}, box, " ", el("label", { for: box.id }, text + (count > 1 ? " (" + count + " lần)" : "")));
    });
    const guess = group.guess;
    item.append(
      el("p", {}, el("strong", {}, "Hỏi " + group.count + " lần. "),
        "Bot đã đoán: " + guess.topic + " (" + percent(guess.confidence) + ")" + (group.thumbs_down ? ", bị chấm 👎" : "")),
      ...boxes,
      el("details", {}, el("summary", {}, "Xem cuộc trò chuyện"),
        el("ol", {}, group.context.map((t) => el("li", { class: t.this ? "this" : "" }, t.text + " → " + t.topic))))
    );
    const select = labelPicker(labels, "label-" + index);
    const save = el("button", { type: "button" }, "Lưu");
    const result = el("p", { role: "status" });
    const family = newFamilyForm(index, labels);
    select.addEventListener("change", () => { family.hidden = select.value !== NEW_FAMILY; });
    save.addEventListener("click", async () => {
      if (!select.value) { result.textContent = "Hãy chọn nhóm câu hỏi."; return; }
      const chosen = boxes.map((b) => b.querySelector("input")).filter((b) => b.checked);
      if (select.value === NEW_FAMILY) {
        const reply = await post("api/family", { ...family.values(), examples: chosen.map((b) => b.dataset.text) });
        result.textContent = reply.ok ? "Đã thêm nhóm " + reply.data.saved + " cùng " + chosen.length +
          " câu; bot trả lời được sau lần huấn luyện tới." : reply.data.error;
        if (reply.ok) chosen.forEach((b) => { b.disabled = true; });
        return;
      }
      const messages = [];
      for (const box of chosen) {
        const reply = await post("api/label", { text: box.dataset.text, label: select.value });
        messages.push(reply.ok ? "Đã lưu: " + box.dataset.text : box.dataset.text + ": " + reply.data.error);
        if (reply.ok) box.disabled = true;
      }
      result.textContent = messages.join(" · ");
    });
    item.append(el("div", { class: "row" }, el("label", { for: select.id }, "Nhóm câu hỏi đúng"), select, save), family, result);
    return item;
  }

  document.getElementById("load-missed").addEventListener("click", async () => {
    const list = document.getElementById("missed");
    const since = document.getElementById("since").value;
    list.replaceChildren(el("li", {}, "Đang tải..."));
    const reply = await fetch("api/missed" + (since ? "?since=" + since : ""), { credentials: "same-origin" });
    const data = await reply.json().catch(() => ({ error: "Lỗi " + reply.status }));
    list.replaceChildren();
    if (!reply.ok) { list.append(el("li", {}, data.error)); return; }
    if (!data.groups.length) list.append(el("li", {}, "Không còn câu nào cần xem."));
    data.groups.forEach((group, index) => list.append(missedGroup(group, index, data.labels)));
  });

  const answerKey = document.getElementById("answer-key");
  const answerText = document.getElementById("answer-text");
  const answerPreview = document.getElementById("answer-preview");
  const answerStatus = document.getElementById("answer-status");
  const saveAnswer = document.getElementById("save-answer");
  let answerBook = { answers: [], variables: {}, max_chars: 400 };

  function preview() {
    const filled = answerText.value.replace(/\{(\w+)\}/g, (whole, name) =>
      name in answerBook.variables ? answerBook.variables[name] : "⚠" + whole);
    answerPreview.textContent = filled;
    answerStatus.textContent = filled.length > answerBook.max_chars
      ? "Dài " + filled.length + " ký tự; tối đa " + answerBook.max_chars + "." : "";
  }

  document.getElementById("load-answers").addEventListener("click", async () => {
    const reply = await fetch("api/answers", { credentials: "same-origin" });
    answerBook = await reply.json();
    const topics = new Map();
    answerKey.replaceChildren(el("option", { value: "" }, "— chọn câu hỏi —"));
    answerBook.answers.forEach((a) => {
      if (!topics.has(a.topic)) topics.set(a.topic, el("optgroup", { label: a.topic }));
      topics.get(a.topic).append(el("option", { value: a.key }, a.question));
    });
    topics.forEach((group) => answerKey.append(group));
    answerKey.disabled = false;
    document.getElementById("placeholders").textContent = "Chỗ điền: " +
      Object.entries(answerBook.variables).map(([k, v]) => "{" + k + "} = " + v).join(" · ");
  });

  answerKey.addEventListener("change", () => {
    const chosen = answerBook.answers.find((a) => a.key === answerKey.value);
    answerText.value = chosen ? chosen.text : "";
    answerText.disabled = saveAnswer.disabled = !chosen;
    preview();
  });
  answerText.addEventListener("input", preview);

  saveAnswer.addEventListener("click", async () => {
    const reply = await post("api/answer", { key: answerKey.value, text: answerText.value });
    answerStatus.textContent = reply.ok ? "Đã lưu vào " + reply.data.saved + "." : reply.data.error;
    if (reply.ok) answerBook.answers.find((a) => a.key === answerKey.value).text = answerText.value;
  });

  const CONTACT_NAMES = { hotline: "Đường dây nóng của Sở", support_email: "E-mail hỗ trợ Bluezone", moh_hotline: "Đường dây nóng Bộ Y tế" };
  const DAY_NAMES = { mon: "Thứ Hai", tue: "Thứ Ba", wed: "Thứ Tư", thu: "Thứ Năm", fri: "Thứ Sáu", sat: "Thứ Bảy", sun: "Chủ nhật" };
  const settingsForm = document.getElementById("settings");
  const settingsStatus = document.getElementById("settings-status");

  function field(prefix, key, label, value) {
    const input = el("input", { id: prefix + "-" + key, "data-key": key });
    input.value = value;
    return el("div", {}, el("label", { for: input.id }, label), input);
  }

  document.getElementById("load-settings").addEventListener("click", async () => {
    const reply = await fetch("api/settings", { credentials: "same-origin" });
    const current = await reply.json();
    document.getElementById("contact-fields").replaceChildren(
      ...Object.entries(current.contact).map(([k, v]) => field("contact", k, CONTACT_NAMES[k] || k, v)));
    document.getElementById("link-fields").replaceChildren(
      ...Object.entries(current.links).map(([k, v]) => field("link", k, k, v)));
    const hours = current.office_hours;
    document.getElementById("periods").value = hours.periods.map((p) => p.join("-")).join(", ");
    document.getElementById("day-fields").replaceChildren(...Object.entries(DAY_NAMES).map(([k, name]) => {
      const box = el("input", { type: "checkbox", id: "day-" + k, "data-key": k });
      box.checked = hours.days.includes(k);
      return el("span", {}, box, " ", el("label", { for: box.id }, name), " ");
    }));
    document.getElementById("closed-days").value = hours.closed_days.join(", ");
    document.getElementById("confirmed").checked = hours.confirmed;
    settingsForm.hidden = false;
  });

  function values(selector) {
    return Object.fromEntries(Array.from(document.querySelectorAll(selector)).map((i) => [i.dataset.key, i.value.trim()]));
  }

  function list(text) {
    return text.split(",").map((t) => t.trim()).filter((t) => t);
  }

  settingsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reply = await post("api/settings", {
      contact: values("#contact-fields input"),
      links: values("#link-fields input"),
      office_hours: {
        periods: list(document.getElementById("periods").value).map((p) => p.split("-").map((t) => t.trim())),
        days: Array.from(document.querySelectorAll("#day-fields input:checked")).map((b) => b.dataset.key),
        closed_days: list(document.getElementById("closed-days").value),
        confirmed: document.getElementById("confirmed").checked,
      },
    });
    settingsStatus.textContent = !reply.ok ? reply.data.error
      : reply.data.changed.length ? "Đã lưu: " + reply.data.changed.map((c) => c[0] + " = " + c[2]).join("; ")
      : "Không có gì thay đổi.";
  });

  const shipStatus = document.getElementById("ship-status");
  const bar = document.getElementById("train-progress");
  const deployButton = document.getElementById("deploy");
  const comparison = document.getElementById("comparison");

  function flips(title, rows) {
    if (!rows.length) return [];
    return [el("h3", {}, title), el("ul", {}, rows.map((r) => el("li", {}, r.text + ": " + (r.before || "—") + " → " + (r.after || "—"))))];
  }

  function checksShown(checks) {
    if (!checks) return [el("p", {}, "Chưa có hội thoại kiểm tra nào của cán bộ.")];
    return [
      el("p", { id: "checks" }, "Hội thoại kiểm tra của cán bộ: đúng " + checks.right_before + "/" + checks.cases +
        " lượt với bot đang chạy, " + checks.right_after + "/" + checks.cases + " với mô hình mới."),
      ...flips("Hội thoại: đúng hơn", checks.better),
      ...flips("Hội thoại: kém đi", checks.worse),
    ];
  }

  function showComparison(result) {
    const e = result.evaluation;
    comparison.replaceChildren(
      el("p", {}, "Bộ câu hỏi đánh giá: đúng " + e.right_before + "/" + e.cases + " với bot đang chạy, " +
        e.right_after + "/" + e.cases + " với mô hình mới."),
      ...flips("Trả lời đúng hơn", e.better),
      ...flips("Trả lời kém đi", e.worse),
      ...checksShown(result.checks),
      el("h3", {}, "Các câu vừa dạy"),
      el("ul", { id: "labelled" }, result.labelled.length
        ? result.labelled.map((r) => el("li", {}, (r.learnt ? "✓ đã học: " : "✗ chưa học: ") + r.text + " → " + r.after))
        : [el("li", {}, "(không có câu mới)")])
    );
  }

  function showShipping(state) {
    bar.hidden = state.state !== "training";
    deployButton.disabled = state.state !== "ready";
    if (state.state === "training") {
      bar.max = state.steps || 10;
      bar.value = state.step || 0;
      shipStatus.textContent = "Đang huấn luyện" + (state.component ? ": " + state.component : "") +
        (state.seconds !== undefined ? " (" + state.seconds + " giây)" : "") + "...";
    } else if (state.state === "comparing") {
      shipStatus.textContent = "Đang so sánh với bot đang chạy...";
    } else if (state.state === "ready") {
      shipStatus.textContent = "Mô hình mới đã sẵn sàng.";
      showComparison(state.comparison);
    } else if (state.state === "failed") {
      shipStatus.textContent = "Huấn luyện thất bại: " + (state.log || []).slice(-3).join(" ");
    } else if (state.state === "deployed") {
      shipStatus.textContent = "Bot đã dùng mô hình mới.";
    } else if (state.state === "rolled_back") {
      shipStatus.textContent = "Bot đã quay lại mô hình trước.";
    } else {
      shipStatus.textContent = "";
    }
    return state.state === "training" || state.state === "comparing";
  }

  async function followTraining() {
    const reply = await fetch("api/train", { credentials: "same-origin" });
    const state = await reply.json().catch(() => ({ state: "failed", log: ["Lỗi " + reply.status] }));
    if (showShipping(state)) setTimeout(followTraining, 2000);
  }

  document.getElementById("train").addEventListener("click", async () => {
    comparison.replaceChildren();
    const reply = await post("api/train", {});
    if (!reply.ok) { shipStatus.textContent = reply.data.error; return; }
    showShipping(reply.data);
    setTimeout(followTraining, 2000);
  });

  for (const [id, done] of [["deploy", "Đang chuyển sang mô hình mới..."], ["rollback", "Đang quay lại mô hình trước..."]]) {
    document.getElementById(id).addEventListener("click", async () => {
      shipStatus.textContent = done;
      const reply = await post("api/" + id, {});
      if (!reply.ok) { shipStatus.textContent = reply.data.error; return; }
      showShipping(reply.data);
      const failed = (reply.data.servers || []).filter((s) => s.error);
      const others = (reply.data.servers || []).length;
      if (others) {
        shipStatus.textContent += failed.length
          ? " Chưa cập nhật được máy chủ: " + failed.map((s) => s.server + " (" + s.error + ")").join(", ") +
            ". Hãy báo kỹ thuật chạy make cluster-rollout."
          : " Cả " + (others + 1) + " máy chủ đã cập nhật.";
      }
    });
  }

  followTraining();

  document.getElementById("restart").addEventListener("click", () => {
    conversation = newId();
    tried = [];
    keep.disabled = true;
    keepStatus.textContent = "";
    turns.replaceChildren();
    input.focus();
  });

  keep.addEventListener("click", async () => {
    const reply = await post("api/check", { name: tried[0][0].slice(0, 80), turns: tried });
    keepStatus.textContent = reply.ok
      ? "Đã lưu vào data/checks/" + reply.data.saved + " (" + tried.length + " lượt)."
      : reply.data.error;
    if (reply.ok) keep.disabled = true;
  });
})();
