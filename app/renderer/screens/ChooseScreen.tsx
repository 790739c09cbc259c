import { useState } from 'react';
import type { UiProduct } from '../../shell/bridge/kiosk-api.ts';
import { CancelButton } from '../components/SendButton.tsx';
import { Title } from '../components/Title.tsx';
import type { Translator } from '../i18n/index.ts';
import type { ScreenProps } from './types.ts';

/** "8 photos on 2 printed sheets plus a digital file" in the shown language. */
export function describeProduct(tr: Translator, product: UiProduct): string {
  const parts = [
    tr.tc('product.photos', product.prints * product.photosPerSheet),
    tr.tc('product.sheets', product.prints),
  ];
  if (product.digital) parts.push(tr.t('product.digital'));
  return parts.join(' ');
}

export function ChooseScreen({ snap, tr, send }: ScreenProps) {
  const [documentId, setDocumentId] = useState<string | null>(
    snap.choice.documentId ?? (snap.documents.length === 1 ? snap.documents[0]! : null),
  );
  const [productId, setProductId] = useState<string | null>(
    snap.choice.productId ?? (snap.products.length === 1 ? snap.products[0]!.id : null),
  );
  const ready = documentId !== null && productId !== null;
  return (
    <>
      <Title>{tr.t('choose.title')}</Title>
      <div className="choose">
        <section aria-labelledby="choose-documents">
          <h2 id="choose-documents">{tr.t('choose.documents')}</h2>
          <div className="grid-buttons documents">
            {snap.documents.map((id) => (
              <button
                key={id}
                type="button"
                aria-pressed={documentId === id}
                onClick={() => setDocumentId(id)}
              >
                {tr.t(`document.${id}`)}
              </button>
            ))}
          </div>
        </section>
        <section aria-labelledby="choose-products">
          <h2 id="choose-products">{tr.t('choose.products')}</h2>
          <div className="grid-buttons products">
            {snap.products.map((product) => (
              <button
                key={product.id}
                type="button"
                className="product"
                aria-pressed={productId === product.id}
                onClick={() => setProductId(product.id)}
              >
                <span className="product-text">{describeProduct(tr, product)}</span>{' '}
                <span className="price">{tr.money(product.price)}</span>
              </button>
            ))}
          </div>
        </section>
      </div>
      {!ready && <p className="muted">{tr.t('choose.selectBoth')}</p>}
      <div className="actions">
        <CancelButton tr={tr} send={send} />
        <button
          type="button"
          className="primary"
          disabled={!ready}
          onClick={() => {
            if (documentId && productId) send({ type: 'CHOOSE', documentId, productId });
          }}
        >
          {tr.t('common.continue')}
        </button>
      </div>
    </>
  );
}
