// "Open now · closes at 20:00 (Paris time)" for each contact channel with opening hours.
// The page (cached for every reader) carries the channel's open intervals in UTC seconds for
// a few weeks; this script finds the one the reader's clock is in and says it in the
// company's time zone, whatever the reader's own. Without it the weekly table stands alone.
(function () {
  "use strict";

  function parts(date, timeZone, options) {
    var found = {};
    new Intl.DateTimeFormat("en-GB", Object.assign({ timeZone: timeZone }, options))
      .formatToParts(date)
      .forEach(function (part) { found[part.type] = part.value; });
    return found;
  }

  // 20:00 in English, 20 h or 8 h 30 in French: as the server writes the weekly table.
  function formatTime(date, timeZone, language) {
    var time = parts(date, timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var hour = Number(time.hour), minute = time.minute;
    if (language === "fr") {
      return hour + "\u202fh" + (minute === "00" ? "" : "\u202f" + minute);
    }
    return time.hour + ":" + minute;
  }

  function dayNumber(date, timeZone) {
    var day = parts(date, timeZone, { year: "numeric", month: "2-digit", day: "2-digit" });
    return Date.UTC(Number(day.year), Number(day.month) - 1, Number(day.day)) / 86400000;
  }

  function statusText(data, texts, now) {
    var seconds = now.getTime() / 1000;
    if (seconds < data.from || seconds >= data.until) return null; // an old copy of the page
    for (var i = 0; i < data.open.length; i++) {
      var interval = data.open[i];
      if (interval[0] <= seconds && seconds < interval[1]) {
        if (interval[1] >= data.until && interval[0] <= data.from) return [texts.always, true];
        var closes = new Date(interval[1] * 1000);
        return [texts.open.replace("{time}", formatTime(closes, data.tz, data.lang)), true];
      }
      if (interval[0] > seconds) {
        var opens = new Date(interval[0] * 1000);
        var days = dayNumber(opens, data.tz) - dayNumber(now, data.tz);
        var text = days === 0 ? texts.today : days === 1 ? texts.tomorrow : texts.later;
        var weekday = new Intl.DateTimeFormat(data.lang, { timeZone: data.tz, weekday: "long" })
          .format(opens);
        return [text.replace("{day}", weekday).replace("{time}", formatTime(opens, data.tz, data.lang)), false];
      }
    }
    return [texts.closed, false];
  }

  function show(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("[data-open-hours]").forEach(function (element) {
      var status;
      try {
        status = statusText(
          JSON.parse(element.dataset.openHours),
          JSON.parse(element.dataset.openTexts),
          new Date()
        );
      } catch (error) {
        return; // unreadable data: the weekly table says it all
      }
      if (!status) return;
      element.textContent = status[0];
      element.classList.toggle("is-open", status[1]);
      element.classList.toggle("is-closed", !status[1]);
      element.hidden = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { show(document); });
  } else {
    show(document);
  }
})();
