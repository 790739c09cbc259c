// Prices and products: each product with its price; a new price typed on the pad, or a product
// withdrawn from sale (or offered again), applies from the next customer on (a customer who
// already chose pays what they saw).
import { useState } from 'react';
import type { ScreenProps } from '../types.ts';
import { NumberPad } from './NumberPad.tsx';
import { OperatorLayout } from './OperatorLayout.tsx';

export function OperatorPricesScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const products = snap.operator?.prices ?? [];
  const [editing, setEditing] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const product = products.find((p) => p.id === editing) ?? null;
  const describe = (p: (typeof products)[number]) =>
    tr.t('operator.prices.product', { id: p.id, photos: p.photosPerSheet, prints: p.prints }) +
    (p.digital ? ` · ${tr.t('operator.prices.digital')}` : '');
  return (
    <OperatorLayout
      {...props}
      title={tr.t('operatorPrices.title')}
      actions={
        product && (
          <button
            type="button"
            className="primary"
            disabled={typed === ''}
            onClick={() => {
              send({ type: 'OPERATOR_SET_PRICE', productId: product.id, price: Number(typed) });
              setEditing(null);
              setTyped('');
            }}
          >
            {tr.t('operator.prices.save', { price: tr.money(Number(typed || 0)) })}
          </button>
        )
      }
    >
      <div className="operator-columns">
        <table className="operator-table">
          <tbody>
            {products.map((p) => (
              <tr key={p.id}>
                <th scope="row">{describe(p)}</th>
                <td>
                  {p.offered
                    ? tr.money(p.price)
                    : `${tr.money(p.price)} · ${tr.t('operator.prices.withdrawn')}`}
                </td>
                <td>
                  <button
                    type="button"
                    className="tool"
                    aria-label={tr.t(p.offered ? 'operator.prices.withdrawFor' : 'operator.prices.offerFor', {
                      product: describe(p),
                    })}
                    onClick={() =>
                      send({ type: 'OPERATOR_SET_PRODUCT', productId: p.id, enabled: !p.offered })
                    }
                  >
                    {tr.t(p.offered ? 'operator.prices.withdraw' : 'operator.prices.offer')}
                  </button>
                </td>
                <td>
                  <button
                    type="button"
                    className="tool"
                    aria-pressed={editing === p.id}
                    aria-label={tr.t('operator.prices.change', { product: describe(p) })}
                    onClick={() => {
                      setEditing(p.id);
                      setTyped('');
                    }}
                  >
                    {tr.t('operator.prices.changeShort')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {product && (
          <div className="operator-entry">
            <h2>{tr.t('operator.prices.newFor', { product: describe(product) })}</h2>
            <p className="operator-number">{tr.money(Number(typed || 0))}</p>
            <NumberPad
              value={typed}
              onChange={setTyped}
              maxLength={6}
              tr={tr}
              label={tr.t('operator.prices.newPrice')}
            />
          </div>
        )}
      </div>
      <p className="muted">{tr.t('operator.prices.note')}</p>
    </OperatorLayout>
  );
}
