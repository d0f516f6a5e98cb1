// The help centre: the search box asks Pathlight (`pl.search`), which
// shows the results in the widget and records the search in the journey;
// the page lists them too. Topic links and "Ask a question" open the widget.
import { pathlight, showAnswer } from '/site.js';

const form = document.getElementById('help-search');
const input = document.getElementById('help-q');
const results = document.getElementById('help-results');

function answerButton(id, title) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'link-button';
  b.dataset.answer = id;
  b.textContent = title;
  b.addEventListener('click', () => showAnswer(id));
  return b;
}

function show(query, found) {
  results.textContent = '';
  const heading = document.createElement('h2');
  if (found === null) {
    heading.textContent = 'Search is not available right now.';
    const p = document.createElement('p');
    p.append('Email ', Object.assign(document.createElement('a'), { href: 'mailto:help@lumen.example', textContent: 'help@lumen.example' }), ' and we will answer within one business day.');
    results.append(heading, p);
    return;
  }
  if (!found.length) {
    heading.textContent = `No answers for “${query}”.`;
    const p = document.createElement('p');
    p.textContent = 'Try other words, or ask a person: they will see what you searched for, so you will not have to repeat yourself.';
    results.append(heading, p);
    return;
  }
  heading.textContent = `${found.length} ${found.length === 1 ? 'answer' : 'answers'} for “${query}”`;
  const list = document.createElement('ul');
  list.className = 'results';
  for (const r of found.slice(0, 6)) {
    const li = document.createElement('li');
    li.append(answerButton(r.id, r.title));
    if (r.stale) {
      const note = document.createElement('span');
      note.className = 'muted';
      note.textContent = ' (possibly out of date)';
      li.append(note);
    }
    list.append(li);
  }
  results.append(heading, list);
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const query = input.value.trim();
  if (!query) {
    input.focus();
    return;
  }
  pathlight().then((pl) => {
    if (!pl) return show(query, null);
    // Results come back best first, each { id, title, body, url, stale }.
    return show(query, pl.search(query));
  });
});

for (const button of document.querySelectorAll('button[data-answer]')) {
  button.addEventListener('click', () => showAnswer(button.dataset.answer));
}

document.getElementById('open-chat').addEventListener('click', () => {
  pathlight().then((pl) => pl?.open());
});
