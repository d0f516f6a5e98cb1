// A product page: add to cart, "Buy now", and the questions that open a
// help answer in the Pathlight widget.
import { PRODUCTS, cart, showAnswer } from '/site.js';

const article = document.querySelector('[data-product]');
const product = article && PRODUCTS[article.dataset.product];

if (product) {
  const form = article.querySelector('form.buy-form');
  const status = form.querySelector('[role=status]');
  const qtyInput = form.elements.qty;

  const chosen = () => {
    const finish = form.querySelector('input[name=finish]:checked')?.value ?? product.finishes[0];
    const qty = Math.max(1, Math.min(10, Number.parseInt(qtyInput.value, 10) || 1));
    return { finish, qty };
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const { finish, qty } = chosen();
    qtyInput.value = String(qty);
    if (!cart.add(product.id, finish, qty)) {
      status.textContent = 'Sorry, your browser would not let us save your cart.';
      return;
    }
    status.textContent = '';
    const text = document.createTextNode(`Added ${qty} × ${product.name} (${finish}) to your cart. `);
    const link = document.createElement('a');
    link.href = '/cart';
    link.textContent = 'View cart';
    status.append(text, link);
  });

  // "Buy now" is a link to the checkout: the lamp goes in the cart first,
  // unless it is already there.
  form.querySelector('[data-buy-now]').addEventListener('click', () => {
    const { finish, qty } = chosen();
    if (!cart.lines().some((l) => l.id === product.id)) cart.add(product.id, finish, qty);
  });
}

for (const button of document.querySelectorAll('button[data-answer]')) {
  button.addEventListener('click', () => showAnswer(button.dataset.answer));
}
